// Benchmarks run against a scratch database beside DATABASE_URL's, created empty and dropped afterwards.
import pg from 'pg';
import { openDb, type DbHandle } from '../src/db/client.js';

/** Runs `fn` on a fresh database `<db>_<suffix>` (pgvector installed), dropping it whatever happens. */
export async function withScratchPostgres<T>(url: string, suffix: string, poolMax: number, fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const name = `${new URL(url).pathname.slice(1) || 'mnemo'}_${suffix}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const h = await openDb({ databaseUrl: u.toString(), poolMax });
  try {
    await h.exec('create extension if not exists vector');
    return await fn(h);
  } finally {
    await h.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
