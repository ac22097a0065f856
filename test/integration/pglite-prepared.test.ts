// Queries on PGlite kept prepared by their text (src/db/pglite-prepared.ts), in the worker and in this thread, as the
// turn store's statements (src/agent/turn-store/statement.ts) and every other query reach them: the same rows as
// PGlite's own query, parsed once, errors with their PostgreSQL fields and the session still usable after,
// transactions kept whole, a bounded number kept, parsed again after a table changes shape.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDb, queryRows, type DbHandle } from '../../src/db/client.js';
import { statement } from '../../src/agent/turn-store/statement.js';

vi.setConfig({ hookTimeout: 180_000 });

let bytes: Uint8Array | undefined;

async function snapshot(): Promise<Blob | undefined> {
  if (!bytes) {
    const path = inject('pgliteSnapshot');
    if (!path) return undefined; // a PostgreSQL run: initdb in memory
    bytes = readFileSync(path);
  }
  return new Blob([bytes]);
}

const put = statement<{ k: string; v: number; at: string; j: { a: number[] }; ok: boolean; none: string | null }>(
  'test_prepared_put',
  sql`insert into prep (k, v, j) values (${sql.placeholder('k')}::text, ${sql.placeholder('v')}::int, ${sql.placeholder('j')}::text::jsonb)
    returning k, v, at, j, v > ${sql.placeholder('min')}::int as ok, null::text as none`,
);
const count = statement<{ n: number }>('test_prepared_count', sql`select count(*)::int as n from prep`);

describe.each([
  ['in the worker', true],
  ['in this thread', false],
])('prepared statements on PGlite %s', (_, worker) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openDb({ pgliteLoad: await snapshot(), pgliteWorker: worker });
    await h.exec('create table prep (k text primary key, v int not null, j jsonb, at timestamptz not null default now())');
  });
  afterAll(() => h.close());

  it('returns the rows a plain query returns, typed the same way', async () => {
    const [row] = await put(h.db, { k: 'a', v: 2, j: JSON.stringify({ a: [1, 2] }), min: 1 });
    const [plain] = await queryRows(h.db, sql`select k, v, at, j, v > 1 as ok, null::text as none from prep where k = 'a'`);
    expect(row).toEqual(plain);
    expect(row).toMatchObject({ k: 'a', v: 2, j: { a: [1, 2] }, ok: true, none: null });
    expect(typeof row!.at).toBe('string'); // timestamps stay text, as drizzle's pglite driver asks
  });

  it('parses a statement once and binds it on every later call', async () => {
    const kept = async (text: string) =>
      (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from pg_prepared_statements where statement = ${text}`))[0]!.n;
    await count(h.db, {});
    await count(h.db, {});
    expect(await kept('select count(*)::int as n from prep')).toBe(1);
  });

  it('fails with the PostgreSQL fields and leaves the session working', async () => {
    const err = await put(h.db, { k: 'a', v: 3, j: null, min: 0 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.cause).toMatchObject({ code: '23505', constraint: 'prep_pkey' }); // drizzle keeps the database's error as `cause`
    const [row] = await put(h.db, { k: 'b', v: 3, j: null, min: 5 });
    expect(row).toMatchObject({ k: 'b', ok: false, j: null });
    expect((await count(h.db, {}))[0]!.n).toBe(2);
  });

  it('does not keep a statement that failed to parse', async () => {
    const broken = statement('test_prepared_broken', sql`select nope from prep`);
    await expect(broken(h.db, {})).rejects.toMatchObject({ cause: { code: '42703' } });
    await expect(broken(h.db, {})).rejects.toMatchObject({ cause: { code: '42703' } });
    expect((await count(h.db, {}))[0]!.n).toBe(2);
  });

  it('waits for an open transaction instead of running inside it, and runs inside one as a plain query', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = h.db.transaction(async (t) => {
      await put(t, { k: 'tx', v: 1, j: null, min: 0 });
      await held;
      t.rollback();
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = count(h.db, {});
    const early = await Promise.race([outside.then(() => 'ran'), new Promise((r) => setTimeout(() => r('waited'), 50))]);
    release();
    await tx.catch(() => undefined);
    expect(early).toBe('waited');
    expect((await outside)[0]!.n).toBe(2); // the rolled-back row was never seen
  });

  it('keeps every other query prepared by its text, a bounded number of them', async () => {
    const cached = async () =>
      (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from pg_prepared_statements where name like 'mnemo_q%'`))[0]!.n;
    const before = await cached();
    for (let i = 0; i < 3; i++) await queryRows(h.db, sql`select ${i}::int as i, count(*) from prep`);
    expect(await cached()).toBe(before + 1);
    for (let i = 0; i < 200; i++) await h.pglite!.query(`select ${i} as i`);
    expect(await cached()).toBeLessThanOrEqual(128);
  });

  it('parses a kept query again when its table changed shape since', async () => {
    await h.exec('create table shape (a int); insert into shape values (1)');
    const read = () => h.pglite!.query<Record<string, unknown>>('select * from shape');
    expect((await read()).rows).toEqual([{ a: 1 }]);
    await h.exec('alter table shape add column b text');
    expect((await read()).rows).toEqual([{ a: 1, b: null }]);
  });
});
