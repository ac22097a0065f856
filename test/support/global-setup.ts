// Once per test run: build a migrated database to clone from (a PGlite dump, or a Postgres template database).
// Postgres is TEST_DATABASE_URL, or with TEST_DB=postgres a container started here for the run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDb } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seedBuiltinTools } from '../../src/resources/tools/tool-seed.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return setupPostgres(project, url);
  if (process.env.TEST_DB === 'postgres') return setupContainer(project);
  const dir = mkdtempSync(join(tmpdir(), 'mnemo-test-'));
  const handle = await openDb({});
  await runMigrations(handle);
  await seedBuiltinTools(handle.db, DEFAULT_ORG_ID);
  const dump = await handle.pglite!.dumpDataDir('none');
  const file = join(dir, 'snapshot.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('pgliteSnapshot', file);
  project.provide('pgTemplate', '');
  return () => rmSync(dir, { recursive: true, force: true });
}

/** The test files (forked after this) and their helpers find the container through TEST_DATABASE_URL. */
async function setupContainer(project: TestProject) {
  const { startPgContainer } = await import('./pg-container.js'); // loads testcontainers only when asked
  const container = await startPgContainer();
  process.env.TEST_DATABASE_URL = container.url;
  try {
    const teardown = await setupPostgres(project, container.url);
    return async () => {
      await teardown().finally(() => container.stop());
    };
  } catch (err) {
    await container.stop();
    throw err;
  }
}

async function setupPostgres(project: TestProject, url: string) {
  const template = `mnemo_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const handle = await openDb({ databaseUrl: withDatabase(url, template), poolMax: 2 });
  await runMigrations(handle);
  await seedBuiltinTools(handle.db, DEFAULT_ORG_ID);
  await handle.close();
  project.provide('pgTemplate', template);
  project.provide('pgliteSnapshot', '');
  return async () => {
    // Test databases cloned from the template are dropped by each file; sweep leftovers and the template.
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}%`]);
    for (const r of rows.filter((r) => r.datname !== template)) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
