// Applies the committed drizzle migrations; safe when several server processes start at once.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Logger } from 'pino';
import type { DbHandle } from './client.js';
import { pendingMigrations } from './migration-status.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATION_LOCK_KEY = 727_283;

/** With a logger, says which migrations are about to run and when they are done (nothing when none is pending). */
export async function runMigrations(handle: DbHandle, log?: Pick<Logger, 'info'>): Promise<void> {
  const pending = log ? await pendingMigrations(handle.db, MIGRATIONS_FOLDER) : [];
  const started = Date.now();
  if (pending.length > 0)
    log?.info({ count: pending.length, migrations: pending }, `database migrations: applying ${pending.length} (${pending.join(', ')})`);
  await applyMigrations(handle);
  if (pending.length > 0) log?.info({ count: pending.length, ms: Date.now() - started }, 'database migrations: done');
}

async function applyMigrations(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    // Session-level advisory lock: a second process waits here instead of racing the DDL. The migrations run on
    // the same connection, so a pool of one connection does not wait for itself.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}
