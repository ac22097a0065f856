// Checks the database before anything else uses it, and turns the failures an operator meets (PostgreSQL down,
// wrong password, no pgvector, an unwritable or damaged data folder) into one line saying what to do.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { StartupError, codeOf, messageOf } from './startup-error.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Where DATABASE_URL points, for messages: host:port (or the socket folder), user and database; never the password. */
export function describePostgres(url: string): { where: string; user: string; database: string } {
  const u = new URL(url);
  const socket = u.searchParams.get('host');
  const host = socket ?? (decodeURIComponent(u.hostname) || 'localhost');
  const where = host.startsWith('/') ? `${host}/.s.PGSQL.${u.port || 5432}` : `${host}:${u.port || 5432}`;
  return {
    where,
    user: decodeURIComponent(u.username) || '(default user)',
    database: decodeURIComponent(u.pathname.slice(1)) || '(default)',
  };
}

/** Connects once with a time limit; checks that pgvector is installed or can be. */
export async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    const r = await client.query<{ available: boolean }>(
      "select exists (select 1 from pg_available_extensions where name = 'vector') as available",
    );
    if (!r.rows[0]?.available) throw noPgvector(url);
  } catch (err) {
    throw err instanceof StartupError ? err : (postgresError(url, err) ?? err);
  } finally {
    await client.end().catch(() => {});
  }
}

function noPgvector(url: string): StartupError {
  return new StartupError(
    `PostgreSQL at ${describePostgres(url).where} (DATABASE_URL) has no pgvector extension: install it on that server ` +
      '(e.g. the postgresql-<version>-pgvector package, or the pgvector/pgvector image), or leave DATABASE_URL unset ' +
      'for the embedded database',
  );
}

/** A PostgreSQL failure as a StartupError, or undefined when it is not one an operator fixes in the settings. */
export function postgresError(url: string, err: unknown): StartupError | undefined {
  const { where, user, database } = describePostgres(url);
  const code = codeOf(err);
  const msg = messageOf(err);
  if (code === 'ECONNREFUSED')
    return new StartupError(`cannot reach PostgreSQL at ${where}: connection refused. Is PostgreSQL running? Check DATABASE_URL`);
  if (code === 'ENOENT' && where.includes('/.s.PGSQL.'))
    return new StartupError(`cannot reach PostgreSQL: no socket ${where}. Is PostgreSQL running? Check the host in DATABASE_URL`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new StartupError(`cannot reach PostgreSQL at ${where}: the host name does not resolve. Check the host in DATABASE_URL`);
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(msg))
    return new StartupError(
      `cannot reach PostgreSQL at ${where}: no answer (${code ?? 'timed out'}). Check DATABASE_URL, the network and firewalls`,
    );
  if (code === '28P01' || code === '28000')
    return new StartupError(`PostgreSQL at ${where} refused user "${user}": ${msg}. Check the user name and password in DATABASE_URL`);
  if (code === '3D000')
    return new StartupError(
      `database "${database}" does not exist on ${where}: create it (createdb ${database}) or fix its name in DATABASE_URL`,
    );
  if (code === '42501' && /extension/i.test(msg))
    return new StartupError(
      `user "${user}" may not create the pgvector extension on ${where}: run "CREATE EXTENSION vector;" once as a superuser in database "${database}"`,
    );
  if (/extension "vector"|vector\.control/i.test(msg)) return noPgvector(url);
  if (code === '42P04' || /SSL/i.test(msg)) return new StartupError(`PostgreSQL at ${where}: ${msg}. Check sslmode in DATABASE_URL`);
  return undefined;
}

/** The embedded database's folder must be a folder this user can write, or creatable. */
export function checkDataDir(dataDir: string): void {
  const dir = resolve(dataDir);
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory())
    throw dataDirError(dataDir, existing === dir ? 'it is a file, not a folder' : `${existing} is a file, not a folder`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK | (existing === dir ? constants.R_OK : 0));
  } catch (err) {
    throw dataDirError(dataDir, `${existing === dir ? 'it' : existing} is not writable by this user (${codeOf(err) ?? messageOf(err)})`);
  }
}

function dataDirError(dataDir: string, why: string): StartupError {
  return new StartupError(
    `cannot use the data folder ${dataDir} (MNEMO_DATA_DIR): ${why}. Set MNEMO_DATA_DIR to a folder this user can write, or fix its permissions`,
  );
}

/** An embedded-database failure as a StartupError (unwritable or damaged folder), or undefined. */
export function pgliteError(dataDir: string, err: unknown): StartupError | undefined {
  const code = codeOf(err);
  const msg = messageOf(err);
  const path = (err as { path?: unknown } | null)?.path;
  if (typeof path === 'string' && !resolve(path).startsWith(resolve(dataDir))) return undefined; // another file's trouble
  if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EISDIR'].includes(code)) return dataDirError(dataDir, `${code} (${msg})`);
  if (code === 'ENOSPC') return dataDirError(dataDir, 'the disk is full');
  if (/PGlite failed to initialize|Aborted\(|ErrnoError|errno/i.test(`${msg} ${(err as { name?: string })?.name ?? ''}`))
    return new StartupError(
      `the embedded database in ${dataDir} (MNEMO_DATA_DIR) could not be opened: it looks damaged or was written by an ` +
        'incompatible version. Move the folder aside to start with an empty database, or restore a backup',
    );
  return undefined;
}
