// The OpenAPI document: every operation described (operationId = the Letta SDK's method name, unique), tagged, the
// main bodies with examples, and a bearer scheme so "Authorize" in /docs works; /docs opens without a key.
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/http/openapi-operations.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { callAs, createOrgWithKey, type OrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-openapi';
const t = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN } });
type Op = { operationId?: string; summary?: string; description?: string; tags?: string[]; security?: unknown[]; requestBody?: any };
let doc: { paths: Record<string, Record<string, Op>>; components: any; security: unknown };
let org: OrgWithKey;
beforeAll(async () => {
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
  org = await createOrgWithKey(t.app, ADMIN, 'OpenApiDocs');
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

describe('OpenAPI document', () => {
  it('describes every operation with a unique SDK-style operationId, a summary, a description and tags', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    const undocumented = ops.filter(({ op }) => !op.operationId || !op.summary || !op.description || !op.tags?.length).map((o) => o.key);
    expect(undocumented, 'add these to src/http/openapi-operations.ts').toEqual([]);
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const byKey = Object.fromEntries(ops.map(({ key, op }) => [key, op]));
    expect(byKey['POST /v1/agents/']?.operationId).toBe('agents.create');
    expect(byKey['POST /v1/agents/{agent_id}/messages']?.operationId).toBe('agents.messages.create');
    expect(byKey['GET /v1/agents/{agent_id}/core-memory/blocks/{block_label}']?.operationId).toBe('agents.blocks.retrieve');
    expect(
      Object.keys(OPERATIONS).filter((k) => !byKey[k]),
      'table rows without a route',
    ).toEqual([]);
  });

  it('declares bearer authentication for every operation but health', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/health/']?.get?.security).toEqual([]);
  });

  it('shows an agent-creation example the server accepts as it is', async () => {
    const example = doc.paths['/v1/agents/']?.post?.requestBody?.content['application/json'].example;
    expect(example?.model).toBe('openai/gpt-4o-mini');
    const res = await callAs(t.app, org.key, 'POST', '/v1/agents/', example);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const msg = doc.paths['/v1/agents/{agent_id}/messages']?.post?.requestBody?.content['application/json'].example;
    expect(msg.messages[0].role).toBe('user');
  });

  it('serves /docs (Swagger UI) without an API key, while the API still asks for one', async () => {
    let url = '/docs';
    let page = await t.app.inject({ method: 'GET', url });
    for (let hops = 0; page.statusCode === 302 && hops < 3; hops++) {
      url = new URL(String(page.headers.location), `http://localhost${url}`).pathname;
      page = await t.app.inject({ method: 'GET', url });
    }
    expect(page.statusCode).toBe(200);
    expect(page.body.toLowerCase()).toContain('swagger');
    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/agents/' })).statusCode).toBe(401);
  });
});
