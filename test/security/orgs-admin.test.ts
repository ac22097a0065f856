// Organizations and API keys: the admin API, key secrecy, 401/403 answers, the single-user mode unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { seedBuiltinToolsForAllOrgs } from '../../src/resources/tools/tool-seed.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENV } from '../support/http.js';
import { callAs, createOrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-for-tests-0123456789';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: ADMIN, MNEMO_CORS_ORIGINS: 'http://localhost:3000' });
});
afterAll(async () => t?.close());

const agentBody = { model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small', name: 'a' };

describe('admin API', () => {
  it('creates, lists, reads, renames and deletes organizations', async () => {
    const created = await callAs(t.app, ADMIN, 'POST', '/v1/admin/orgs/', { name: 'acme' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'acme', quotas: { max_agents: null, max_tokens_per_day: null } });
    expect(created.body.id).toMatch(/^org-[0-9a-f-]{36}$/);
    expect(Date.parse(created.body.created_at)).not.toBeNaN();
    const list = await callAs(t.app, ADMIN, 'GET', '/v1/admin/orgs/');
    expect(list.body.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([DEFAULT_ORG_ID, created.body.id]));
    expect((await callAs(t.app, ADMIN, 'GET', `/v1/admin/orgs/${created.body.id}`)).body.name).toBe('acme');
    const renamed = await callAs(t.app, ADMIN, 'PATCH', `/v1/admin/orgs/${created.body.id}`, { name: 'acme2' });
    expect(renamed.body.name).toBe('acme2');
    expect((await callAs(t.app, ADMIN, 'DELETE', `/v1/admin/orgs/${created.body.id}`)).status).toBe(200);
    expect((await callAs(t.app, ADMIN, 'GET', `/v1/admin/orgs/${created.body.id}`)).status).toBe(404);
  });

  it('describes the admin routes in the OpenAPI document', async () => {
    const doc = await callAs(t.app, ADMIN, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/admin/orgs/',
        '/v1/admin/orgs/{org_id}',
        '/v1/admin/orgs/{org_id}/api-keys',
        '/v1/admin/orgs/{org_id}/api-keys/{key_id}',
      ]),
    );
  });

  it('rejects a bad body, an unknown id and the deletion of the default organization', async () => {
    const bad = await callAs(t.app, ADMIN, 'POST', '/v1/admin/orgs/', { name: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/name/);
    const unknown = 'org-11111111-1111-4111-8111-111111111111';
    expect((await callAs(t.app, ADMIN, 'DELETE', `/v1/admin/orgs/${unknown}`)).status).toBe(404);
    expect((await callAs(t.app, ADMIN, 'POST', `/v1/admin/orgs/${unknown}/api-keys`, { name: 'k' })).status).toBe(404);
    const dflt = await callAs(t.app, ADMIN, 'DELETE', `/v1/admin/orgs/${DEFAULT_ORG_ID}`);
    expect(dflt.status).toBe(409);
    expect(dflt.body.detail).toMatch(/default organization/);
  });

  it('shows a key once, lists keys without secrets, and stores no plaintext', async () => {
    const { orgId, key, keyId } = await createOrgWithKey(t.app, ADMIN, 'secretive');
    expect(key).toMatch(/^mnemo_sk_[A-Za-z0-9_-]{43}$/);
    const listed = await callAs(t.app, ADMIN, 'GET', `/v1/admin/orgs/${orgId}/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { id: keyId, organization_id: orgId, name: 'secretive key', prefix: key.slice(0, 13), created_at: expect.any(String) },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(13));
    // Every column of every api_keys row, as text: the secret appears nowhere (only its hash and a 4-char head).
    const rows = await queryRows<{ row: string }>(t.ctx.dbh.db, sql`SELECT row_to_json(k)::text AS row FROM api_keys k`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.row).not.toContain(key.slice(13, 30));
    // Nor in any other table (a key is never written anywhere else).
    const tables = await queryRows<{ t: string }>(
      t.ctx.dbh.db,
      sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { t: table } of tables) {
      const hits = await queryRows(
        t.ctx.dbh.db,
        sql`SELECT 1 FROM ${sql.identifier(table)} x WHERE row_to_json(x)::text LIKE ${`%${key.slice(13, 30)}%`} LIMIT 1`,
      );
      expect(hits, table).toEqual([]);
    }
  });
});

describe('authentication', () => {
  it('answers 401 with a detail for no key, an unknown key and a revoked key', async () => {
    const { orgId, key, keyId } = await createOrgWithKey(t.app, ADMIN, 'revocable');
    const none = await callAs(t.app, undefined, 'GET', '/v1/agents/');
    expect([none.status, typeof none.body.detail]).toEqual([401, 'string']);
    const unknown = await callAs(t.app, 'mnemo_sk_' + 'A'.repeat(43), 'GET', '/v1/agents/');
    expect([unknown.status, typeof unknown.body.detail]).toEqual([401, 'string']);
    expect((await callAs(t.app, key, 'GET', '/v1/agents/')).status).toBe(200);
    expect((await callAs(t.app, ADMIN, 'DELETE', `/v1/admin/orgs/${orgId}/api-keys/${keyId}`)).status).toBe(200);
    const revoked = await callAs(t.app, key, 'GET', '/v1/agents/');
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);
    expect((await callAs(t.app, undefined, 'GET', '/v1/health/')).status).toBe(200);
    // A browser can read the 401 (CORS headers are set before authentication refuses).
    const cors = await t.app.inject({ url: '/v1/agents/', headers: { origin: 'http://localhost:3000' } });
    expect([cors.statusCode, cors.headers['access-control-allow-origin']]).toEqual([401, 'http://localhost:3000']);
  });

  it('refuses an organization key on the admin API with 403', async () => {
    const { key, orgId } = await createOrgWithKey(t.app, ADMIN, 'tenant');
    for (const [method, url] of [
      ['GET', '/v1/admin/orgs/'],
      ['POST', `/v1/admin/orgs/${orgId}/api-keys`],
      ['DELETE', `/v1/admin/orgs/${orgId}`],
    ] as const) {
      const res = await callAs(t.app, key, method, url, method === 'POST' ? { name: 'x' } : undefined);
      expect(res.status, url).toBe(403);
      expect(res.body.detail).toMatch(/admin key/);
    }
  });

  it('scopes an organization key to its own organization; the admin key stays on the default one', async () => {
    const a = await createOrgWithKey(t.app, ADMIN, 'tenant-a');
    const made = await callAs(t.app, a.key, 'POST', '/v1/agents/', { ...agentBody, name: 'only-in-a' });
    expect(made.status).toBe(200);
    const asA = await callAs(t.app, a.key, 'GET', '/v1/agents/');
    expect(asA.body.map((x: { name: string }) => x.name)).toEqual(['only-in-a']);
    const asAdmin = await callAs(t.app, ADMIN, 'GET', '/v1/agents/');
    expect(asAdmin.body.map((x: { name: string }) => x.name)).not.toContain('only-in-a');
    expect((await callAs(t.app, ADMIN, 'GET', `/v1/agents/${made.body.id}`)).status).toBe(404);
  });

  it('gives a new organization the built-in tools', async () => {
    const a = await createOrgWithKey(t.app, ADMIN, 'tooled');
    const tools = await callAs(t.app, a.key, 'GET', '/v1/tools/?limit=100');
    const names = tools.body.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['send_message', 'core_memory_append', 'archival_memory_search']));
  });

  it('restores a missing built-in tool of every organization at start-up, rewriting nothing that is current', async () => {
    const a = await createOrgWithKey(t.app, ADMIN, 'restored');
    const db = t.ctx.dbh.db;
    await db.execute(sql`DELETE FROM tools WHERE organization_id = ${a.orgId} AND name = 'send_message'`);
    const stamp = async () => queryRows<{ u: string }>(db, sql`SELECT max(updated_at)::text AS u FROM tools WHERE name <> 'send_message'`);
    const before = await stamp();
    await seedBuiltinToolsForAllOrgs(db);
    const back = await queryRows(db, sql`SELECT 1 FROM tools WHERE organization_id = ${a.orgId} AND name = 'send_message'`);
    expect(back).toHaveLength(1);
    expect(await stamp()).toEqual(before);
  });
});

describe('single-user mode (no MNEMO_API_KEY)', () => {
  let open: TestApp;
  beforeAll(async () => {
    open = await createTestApp(TEST_ENV);
  });
  afterAll(async () => open?.close());

  it('serves every request as the default organization, with or without a bearer token', async () => {
    expect((await callAs(open.app, undefined, 'GET', '/v1/agents/')).status).toBe(200);
    expect((await callAs(open.app, 'anything', 'POST', '/v1/agents/', agentBody)).status).toBe(200);
    expect((await callAs(open.app, undefined, 'GET', '/v1/agents/')).body).toHaveLength(1);
  });

  it('answers the admin API with 403 naming MNEMO_API_KEY', async () => {
    const res = await callAs(open.app, undefined, 'GET', '/v1/admin/orgs/');
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/MNEMO_API_KEY/);
  });
});
