// The embedded database's worker client: transactions of concurrent callers stay apart, PostgreSQL errors keep their
// fields, values survive the thread crossing, a crash fails waiting statements, and messages are bounded.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDb, queryRows, type DbHandle } from '../../src/db/client.js';
import { type DatabaseWorkerError, type PgliteClient, startPgliteWorker } from '../../src/db/pglite-client.js';
import { describeDatabaseRejection } from '../../src/db/rejection.js';

// On a PostgreSQL run there is no PGlite snapshot: initdb once in memory (slow on a busy machine).
vi.setConfig({ hookTimeout: 180_000 });

let bytes: Uint8Array;
const snapshot = () => new Blob([bytes]);

let h: DbHandle;
let lite: PgliteClient;

beforeAll(async () => {
  const path = inject('pgliteSnapshot');
  bytes = path ? readFileSync(path) : await freshDump();
  h = await openDb({ pgliteLoad: snapshot() });
  lite = h.pglite!;
  await lite.exec(
    'create extension if not exists vector; create table kv (k text primary key, v int not null, b bytea, j jsonb, e vector(3), at timestamptz)',
  );
});
afterAll(() => h.close());

async function freshDump(): Promise<Uint8Array> {
  const fresh = await openDb({});
  try {
    await fresh.exec('create extension if not exists vector');
    return new Uint8Array(await (await fresh.pglite!.dumpDataDir('none')).arrayBuffer());
  } finally {
    await fresh.close();
  }
}

/** A promise and its resolve function, to hold a transaction open while other callers arrive. */
function latch() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

describe('transactions through the worker', () => {
  it('keeps other callers out of an open transaction and runs them after its COMMIT', async () => {
    const hold = latch();
    const order: string[] = [];
    const tx = h.db.transaction(async (t) => {
      await t.execute(sql`insert into kv (k, v) values ('tx', 1)`);
      await hold.p;
      order.push('tx done');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from kv where k = 'tx'`).then((r) => {
      order.push('outside');
      return r[0]!.n;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]); // the outside read waits instead of seeing the uncommitted row
    hold.open();
    await tx;
    expect(await outside).toBe(1);
    expect(order).toEqual(['tx done', 'outside']);
  });

  it('does not roll back a caller that arrived while another transaction failed', async () => {
    const hold = latch();
    const failing = h.db.transaction(async (t) => {
      await t.execute(sql`insert into kv (k, v) values ('rolled-back', 1)`);
      await hold.p;
      throw new Error('abort this transaction');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outsideWrite = h.db.execute(sql`insert into kv (k, v) values ('outside-write', 1)`);
    hold.open();
    await expect(failing).rejects.toThrow('abort this transaction');
    await outsideWrite;
    const keys = await queryRows<{ k: string }>(h.db, sql`select k from kv where k in ('rolled-back', 'outside-write')`);
    expect(keys.map((r) => r.k)).toEqual(['outside-write']);
  });

  it('never interleaves the statements of two concurrent transactions', async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.db.transaction(async (t) => {
          const seen: string[] = [];
          for (let s = 0; s < 4; s++) {
            const [row] = await queryRows<{ x: string }>(t, sql`select txid_current()::text as x`);
            seen.push(row!.x);
            await new Promise((r) => setTimeout(r, i % 2));
          }
          return seen;
        }),
      ),
    );
    for (const seen of ids) expect(new Set(seen).size).toBe(1);
    expect(new Set(ids.map((s) => s[0])).size).toBe(6);
  });

  it('supports savepoints (nested drizzle transactions)', async () => {
    await h.db.transaction(async (t) => {
      await t.execute(sql`insert into kv (k, v) values ('outer', 1)`);
      await expect(
        t.transaction(async (inner) => {
          await inner.execute(sql`insert into kv (k, v) values ('inner', 1)`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    const keys = await queryRows<{ k: string }>(h.db, sql`select k from kv where k in ('outer', 'inner')`);
    expect(keys.map((r) => r.k)).toEqual(['outer']);
  });
});

describe('errors and values across the thread', () => {
  it('keeps the PostgreSQL code, detail and constraint of an error (unique violation → our rejection text)', async () => {
    await h.db.execute(sql`insert into kv (k, v) values ('dup', 1)`);
    const err = await h.db.execute(sql`insert into kv (k, v) values ('dup', 2)`).catch((e: unknown) => e);
    const cause = (err as { cause?: Record<string, unknown> }).cause;
    expect(cause).toMatchObject({ code: '23505', constraint: 'kv_pkey', detail: 'Key (k)=(dup) already exists.' });
    expect(describeDatabaseRejection(err)).toBe(
      'the database rejected a value: a value that must be unique already exists (SQLSTATE 23505, constraint kv_pkey)',
    );
    await expect(lite.query('select * from no_such_table')).rejects.toMatchObject({ code: '42P01' });
  });

  it('round-trips bytes, dates, bigints, JSON and vectors', async () => {
    const at = new Date('2026-12-07T05:00:00.123Z');
    const bytes = Buffer.from([0, 1, 2, 255]);
    await lite.query('insert into kv (k, v, b, j, e, at) values ($1, $2, $3, $4, $5, $6)', [
      'values',
      7,
      bytes,
      { nested: { list: [1, 'two', null] } },
      '[1,2,3]',
      at,
    ]);
    const res = await lite.query<Record<string, unknown>>(
      "select b, j, e::text as e, at, 9007199254740993::int8 as big, e <-> '[1,2,4]' as dist from kv where k = $1",
      ['values'],
    );
    expect(res.rows[0]).toEqual({
      b: new Uint8Array([0, 1, 2, 255]),
      j: { nested: { list: [1, 'two', null] } },
      e: '[1,2,3]',
      at,
      big: 9007199254740993n,
      dist: 1,
    });
    // drizzle's parsers (timestamps left as text) run on this side, in array row mode too.
    const [row] = await h.db
      .execute(sql`select at from kv where k = 'values'`)
      .then((r) => (r as unknown as { rows: { at: unknown }[] }).rows);
    expect(row!.at).toBe('2026-12-07 05:00:00.123+00');
  });

  it('refuses a statement or a result larger than the message bound, and goes on working', async () => {
    const { client } = await startPgliteWorker({ load: snapshot(), maxMessageBytes: 64 * 1024 });
    try {
      await expect(client.query('select $1::text as t', ['x'.repeat(64 * 1024)])).rejects.toThrow(/larger than 65536 bytes/);
      await expect(client.query("select repeat('y', 100000) as t")).rejects.toThrow(/a result is larger than/);
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
  });
});

describe('the worker stopping', () => {
  it('fails the waiting statement and every later one with a clear error, and reports it once', async () => {
    const exits: DatabaseWorkerError[] = [];
    const { client, worker } = await startPgliteWorker({ load: snapshot(), onExit: (e) => exits.push(e) });
    const slow = client.query('select pg_sleep(30)');
    await new Promise((r) => setTimeout(r, 50));
    await worker.terminate();
    await expect(slow).rejects.toThrow(/embedded database worker: stopped unexpectedly/);
    await expect(client.query('select 1')).rejects.toThrow(/embedded database worker/);
    await expect(client.transaction(async (t) => t.query('select 1'))).rejects.toThrow(/embedded database worker/);
    expect(exits).toHaveLength(1);
    await client.close();
  });

  it('closes cleanly: statements already sent finish first, and no exit is reported', async () => {
    const exits: DatabaseWorkerError[] = [];
    const { client } = await startPgliteWorker({ load: snapshot(), onExit: (e) => exits.push(e) });
    const last = client.query('select 42 as n');
    await client.close();
    expect((await last).rows).toEqual([{ n: 42 }]);
    expect(exits).toEqual([]);
  });

  it('still opens in this thread when the worker is turned off (MNEMO_PGLITE_WORKER=false)', async () => {
    const inThread = await openDb({ pgliteLoad: snapshot(), pgliteWorker: false });
    try {
      expect(await queryRows(inThread.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await inThread.close();
    }
  });
});
