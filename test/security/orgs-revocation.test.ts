// A key revoked through one server process stops working on every process sharing the database within ~1 s.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import type { App } from '../../src/http/app-type.js';
import { TEST_ENV } from '../support/http.js';
import { callAs, createOrgWithKey } from '../support/orgs.js';
import { createTestDb } from '../support/test-db.js';

const ADMIN = 'admin-key-for-revocation-0123456789';
type Instance = { app: App; ctx: AppContext };
let db: DbHandle & { url?: string };
let first: Instance;
let second: Instance;

async function instance(dbh: DbHandle): Promise<Instance> {
  const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'silent', MNEMO_DATA_DIR: '/nonexistent', MNEMO_API_KEY: ADMIN });
  const ctx = await createContext(config, { dbh, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx };
}

beforeAll(async () => {
  db = await createTestDb();
  first = await instance({ ...db, close: async () => {} });
  // On PostgreSQL a second pool to the same database (another process, as far as the server can tell); on PGlite the
  // same embedded database (one process can only open it once), but still a second app with its own key cache.
  second = await instance(db.url ? await openDb({ databaseUrl: db.url, poolMax: 4 }) : { ...db, close: async () => {} });
});
afterAll(async () => {
  for (const i of [second, first]) {
    await i?.app.close();
    await i?.ctx.close();
  }
  await db?.close();
});

describe('revocation across server processes', () => {
  it('the other app refuses a revoked key within about a second', async () => {
    const { orgId, key, keyId } = await createOrgWithKey(first.app, ADMIN, 'shared');
    // Both apps have the key in their lookup cache.
    expect((await callAs(first.app, key, 'GET', '/v1/agents/')).status).toBe(200);
    expect((await callAs(second.app, key, 'GET', '/v1/agents/')).status).toBe(200);
    const revokedAt = Date.now();
    expect((await callAs(first.app, ADMIN, 'DELETE', `/v1/admin/orgs/${orgId}/api-keys/${keyId}`)).status).toBe(200);
    expect((await callAs(first.app, key, 'GET', '/v1/agents/')).status).toBe(401);
    let refusedAfter = -1;
    for (let i = 0; i < 40 && refusedAfter < 0; i++) {
      if ((await callAs(second.app, key, 'GET', '/v1/agents/')).status === 401) refusedAfter = Date.now() - revokedAt;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThan(2000);
  });

  it('a key created on one app works on the other at once (no negative cache)', async () => {
    expect((await callAs(second.app, 'mnemo_sk_' + 'B'.repeat(43), 'GET', '/v1/agents/')).status).toBe(401);
    const { key } = await createOrgWithKey(first.app, ADMIN, 'fresh');
    expect((await callAs(second.app, key, 'GET', '/v1/agents/')).status).toBe(200);
  });
});
