// One database type for both drivers: node-postgres for DATABASE_URL, embedded PGlite otherwise.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { ensurePrivateDir, makeOwnerOnly } from './data-dir.js';
import { initialDataFor, type InitialData } from './initial-data.js';
import { type DatabaseWorkerError, inThreadClient, type PgliteClient, startPgliteWorker } from './pglite-client.js';
import * as schema from './schema/index.js';

type Schema = typeof schema;
/** The database or a transaction: repositories take this as their first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Run raw SQL text (multi-statement allowed on PGlite; one statement on Postgres). */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
  pglite?: PgliteClient;
  pool?: pg.Pool;
};

export type DbOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** Load an embedded database from a dump (tests start from a migrated snapshot). */
  pgliteLoad?: Blob | File;
  /** The pre-initialised database an empty data folder starts from (default: the one the build ships). */
  initialData?: InitialData;
  /** PGlite's shared_buffers (its page cache, resident from the start); PostgreSQL's default 128MB when unset. */
  pgliteSharedBuffers?: string;
  poolMax?: number;
  /** PGlite in a worker thread (default), or in this one (the escape hatch MNEMO_PGLITE_WORKER=false). */
  pgliteWorker?: boolean;
  /** The worker stopped without close() (a crash): statements fail from then on; the server should stop. */
  onDatabaseExit?: (err: DatabaseWorkerError) => void;
};

export async function openDb(opts: DbOptions): Promise<DbHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolMax ?? 20) : openPglite(opts);
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    pool,
    exec: async (text) => void (await pool.query(text)),
    close: async () => void (await pool.end()),
  };
}

async function openPglite(opts: DbOptions): Promise<DbHandle> {
  const dataDir = opts.pgliteLoad ? undefined : opts.dataDir;
  const lock = dataDir ? lockPrivateDir(dataDir) : undefined;
  let client: PgliteClient;
  try {
    const load = opts.pgliteLoad ?? (dataDir ? initialDataFor(dataDir, opts.initialData) : undefined);
    const o = { dataDir, load, sharedBuffers: opts.pgliteSharedBuffers };
    client =
      opts.pgliteWorker === false
        ? inThreadClient(await openInThread(o))
        : (await startPgliteWorker({ ...o, onExit: opts.onDatabaseExit })).client;
    if (dataDir) makeOwnerOnly(dataDir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  // drizzle's pglite driver calls only query (with rowMode and parsers), exec and transaction.
  const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    exec: async (text) => void (await client.exec(text)),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openInThread(o: { dataDir?: string; load?: Blob; sharedBuffers?: string }): Promise<PGlite> {
  const cache = o.sharedBuffers ? ['-c', `shared_buffers=${o.sharedBuffers}`] : [];
  const startParams = [...PGlite.defaultStartParams, ...cache];
  return PGlite.create({ dataDir: o.dataDir, loadDataDir: o.load, extensions: { vector }, startParams });
}

/** Owner-only folder, then the single-owner lock, before PGlite reads or writes anything in it. */
function lockPrivateDir(dataDir: string): DataDirLock {
  ensurePrivateDir(dataDir);
  return acquireDataDirLock(dataDir);
}

/** Runs raw SQL (drizzle `sql` template) and returns its rows; the same on both drivers. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
