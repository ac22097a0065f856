// Migrations run at every server start (several processes may start at once, see src/db/migrate.ts).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createTestDb } from '../support/test-db.js';

let base: DbHandle & { url?: string };
beforeAll(async () => {
  base = await createTestDb();
});
afterAll(async () => base.close());

const applied = async (h: DbHandle) =>
  ((await h.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] }).rows[0]!
    .n;

describe('runMigrations', () => {
  it('is a no-op on a migrated database, twice in a row and two at once', async () => {
    const before = await applied(base);
    expect(before).toBeGreaterThan(0);
    await runMigrations(base);
    if (base.url) {
      // Two "processes" at once, each with its own pool; one waits for the other's advisory lock.
      const other = await openDb({ databaseUrl: base.url, poolMax: 2 });
      try {
        await Promise.all([runMigrations(base), runMigrations(other)]);
      } finally {
        await other.close();
      }
    } else {
      await runMigrations(base);
    }
    expect(await applied(base)).toBe(before);
  });

  it('works with a pool of one connection (the lock and the migrations share it)', async () => {
    // Before, the lock held the only connection while the migrator waited for another: a silent hang.
    const h = base.url ? await openDb({ databaseUrl: base.url, poolMax: 1 }) : base;
    try {
      await Promise.race([runMigrations(h), new Promise((_, reject) => setTimeout(() => reject(new Error('runMigrations hung')), 10_000))]);
      expect(await applied(h)).toBeGreaterThan(0);
    } finally {
      if (h !== base) await h.close();
    }
  });
});
