// What main runs before and around the start: quick checks of the listen address and the database, and the
// translation of known start-up failures into one line and an exit code.
import { ConfigError, type Config } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { checkDataDir, checkPostgres, pgliteError, postgresError } from './database-check.js';
import { checkListenAddress, listenError } from './listen-check.js';
import { StartupError } from './startup-error.js';

/** Fails in about a second when the port is taken, PostgreSQL cannot be reached or the data folder is unusable. */
export async function preflight(c: Config): Promise<void> {
  await checkListenAddress(c.host, c.port);
  if (c.databaseUrl) await checkPostgres(c.databaseUrl);
  else checkDataDir(c.dataDir);
}

/** Known failures as the line to print and the exit code; undefined for anything else (a bug: print it whole). */
export function explainStartupError(err: unknown, c?: Config): { message: string; exitCode: number } | undefined {
  if (err instanceof ConfigError) return { message: err.message, exitCode: 2 };
  if (err instanceof DataDirInUseError) return { message: err.message, exitCode: 3 };
  const known =
    err instanceof StartupError
      ? err
      : c && (listenFailure(c, err) ?? (c.databaseUrl ? postgresError(c.databaseUrl, err) : pgliteError(c.dataDir, err)));
  return known ? { message: known.message, exitCode: known.exitCode } : undefined;
}

function listenFailure(c: Config, err: unknown): StartupError | undefined {
  if ((err as { syscall?: unknown } | null)?.syscall !== 'listen') return undefined;
  const e = listenError(c.host, c.port, err);
  return e instanceof StartupError ? e : undefined;
}
