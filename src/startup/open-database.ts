// Opens the configured database with a line before and after, so a slow first start is not a silent one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openDb, type DbHandle } from '../db/client.js';

export async function openDatabase(c: Config, log: Pick<Logger, 'info' | 'fatal'>): Promise<DbHandle> {
  const started = Date.now();
  if (c.databaseUrl) log.info('database: connecting to PostgreSQL (DATABASE_URL)');
  else if (existsSync(join(c.dataDir, 'PG_VERSION')))
    log.info({ dataDir: c.dataDir }, `database: opening the embedded database in ${c.dataDir}`);
  else log.info({ dataDir: c.dataDir }, `database: creating the embedded database in ${c.dataDir} (first start)`);
  const dbh = await openDb({
    databaseUrl: c.databaseUrl,
    dataDir: c.dataDir,
    pgliteSharedBuffers: c.pgliteSharedBuffers,
    pgliteWorker: c.pgliteWorker,
    onDatabaseExit: (err) => databaseLost(log, err),
  });
  log.info({ database: dbh.kind, ms: Date.now() - started }, 'database: open');
  return dbh;
}

/** The embedded database's worker stopped: requests would only fail from now on, so the process stops (exit 1). */
function databaseLost(log: Pick<Logger, 'fatal'>, err: Error): void {
  log.fatal({ err }, `database: ${err.message}; stopping`);
  process.exit(1);
}
