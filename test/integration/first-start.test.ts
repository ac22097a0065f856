// A first start on an empty embedded data folder: it unpacks the pre-initialised database the build ships (initdb and
// migrations already run) when that database's migrations begin the current journal, and later migrations still run.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDb, queryRows, type DbHandle } from '../../src/db/client.js';
import { initialDataFor, isJournalPrefix, journalMigrations, writeInitialData, type InitialData } from '../../src/db/initial-data.js';
import { runMigrations } from '../../src/db/migrate.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { seedBuiltinTools } from '../../src/resources/tools/tool-seed.js';

// The older-build case runs initdb once in memory: slow on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

const ROOT = join(import.meta.dirname, '../..');
let scratch = '';
let shipped: InitialData;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'mnemo-first-start-'));
  // A migrated database with the built-in tools seeded stands in for the build's tarball: a database made by initdb
  // and the migrations alone has no tools, which tells the two paths apart. (The PGlite run's snapshot is one.)
  shipped = { tarball: join(scratch, 'shipped.tar'), stamp: join(scratch, 'shipped.json') };
  const snapshot = inject('pgliteSnapshot');
  if (snapshot) cpSync(snapshot, shipped.tarball);
  else await writeSeededDump(shipped.tarball);
  writeFileSync(shipped.stamp, JSON.stringify({ migrations: journalMigrations() }));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function writeSeededDump(path: string): Promise<void> {
  const h = await openDb({});
  try {
    await runMigrations(h);
    await seedBuiltinTools(h.db, DEFAULT_ORG_ID);
    writeFileSync(path, Buffer.from(await (await h.pglite!.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await h.close();
  }
}

async function appliedMigrations(h: DbHandle): Promise<number> {
  const rows = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]?.n ?? -1;
}

describe('first start of the embedded database', () => {
  it('unpacks the shipped database into an empty folder: every migration applied, kept after a restart', async () => {
    const dir = join(scratch, 'fresh');
    const first = await openDb({ dataDir: dir, initialData: shipped });
    try {
      expect(await appliedMigrations(first)).toBe(journalMigrations().length);
      const tools = await queryRows<{ n: number }>(first.db, sql`select count(*)::int as n from tools`);
      expect(tools[0]?.n).toBeGreaterThan(0); // came from the tarball, not from initdb
      await runMigrations(first); // nothing left to apply
      await first.db.execute(sql`insert into organizations (id, name) values ('org-first-start', 'kept')`);
    } finally {
      await first.close();
    }
    expect(initialDataFor(dir, shipped)).toBeUndefined(); // a folder with a database is never overwritten
    const again = await openDb({ dataDir: dir, initialData: shipped });
    try {
      const kept = await queryRows<{ name: string }>(again.db, sql`select name from organizations where id = 'org-first-start'`);
      expect(kept).toEqual([{ name: 'kept' }]);
    } finally {
      await again.close();
    }
  });

  it('applies the migrations newer than the shipped database at start', async () => {
    // An older build: its database and its stamp know every migration but the last.
    const older = join(scratch, 'drizzle-older');
    cpSync(join(ROOT, 'drizzle'), older, { recursive: true });
    const journalPath = join(older, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    journal.entries.pop();
    writeFileSync(journalPath, JSON.stringify(journal));
    const mem = await openDb({});
    const olderData = { tarball: join(scratch, 'older.tar.gz'), stamp: join(scratch, 'older.json') };
    try {
      await migrate(mem.db as never, { migrationsFolder: older });
      await writeInitialData(await mem.pglite!.dumpDataDir('gzip'), olderData, journalPath);
    } finally {
      await mem.close();
    }
    const h = await openDb({ dataDir: join(scratch, 'from-older'), initialData: olderData });
    try {
      expect(await appliedMigrations(h)).toBe(journalMigrations().length - 1);
      await runMigrations(h);
      expect(await appliedMigrations(h)).toBe(journalMigrations().length);
    } finally {
      await h.close();
    }
  });

  it('ignores a shipped database whose migrations do not begin the current journal', () => {
    const current = journalMigrations();
    expect(isJournalPrefix(current, current)).toBe(true);
    expect(isJournalPrefix(current.slice(0, 2), current)).toBe(true);
    expect(isJournalPrefix([], current)).toBe(false);
    expect(isJournalPrefix([...current, '9999999999999_later'], current)).toBe(false);
    expect(isJournalPrefix(['1_other', ...current.slice(1)], current)).toBe(false);
    const foreign = { tarball: shipped.tarball, stamp: join(scratch, 'foreign.json') };
    writeFileSync(foreign.stamp, JSON.stringify({ migrations: ['1_regenerated_init'] }));
    expect(initialDataFor(join(scratch, 'empty'), foreign)).toBeUndefined();
    expect(initialDataFor(join(scratch, 'empty'), shipped)).toBeInstanceOf(Blob);
  });
});
