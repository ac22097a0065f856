// Bring-your-own-key providers: an organization stores a key (sealed), checks it against the provider, runs its
// agents on `<provider-name>/<model>` handles; another organization neither sees nor uses it.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProvidersService } from '../../src/resources/providers/providers.service.js';
import { createOutboundPolicy } from '../../src/net/outbound-policy.js';
import { ProviderCreate } from '../../src/resources/providers/providers.schemas.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { callAs, createOrgWithKey, type OrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-providers';
// The scripted LLM listens on 127.0.0.1: a caller-given base URL there must be allowed by the operator.
const t = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN, MNEMO_SECRET_KEY: 's'.repeat(48), MNEMO_OUTBOUND_ALLOW: '127.0.0.1' } });
let a: OrgWithKey;
let b: OrgWithKey;
beforeAll(async () => {
  a = await createOrgWithKey(t.app, ADMIN, 'ByokA');
  b = await createOrgWithKey(t.app, ADMIN, 'ByokB');
});

const body = (over: Record<string, unknown> = {}) => ({
  name: 'team-llm',
  provider_type: 'openai',
  api_key: 'sk-team-secret-1',
  base_url: t.llm.openaiBaseUrl,
  ...over,
});
const lastAuth = (path: string) => t.llm.requests.filter((r) => r.path.endsWith(path)).at(-1)?.headers.authorization;

describe('providers (BYOK)', () => {
  let providerId = '';

  it('checks a key against the provider before anything is stored', async () => {
    const res = await callAs(t.app, a.key, 'POST', '/v1/providers/check', {
      provider_type: 'openai',
      api_key: 'sk-check',
      base_url: t.llm.openaiBaseUrl,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ message: 'Valid api key for provider_type=openai' });
    expect(lastAuth('/v1/models')).toBe('Bearer sk-check');
  });

  it('creates, lists and retrieves without ever returning the key; the database holds only ciphertext', async () => {
    const res = await callAs(t.app, a.key, 'POST', '/v1/providers/', body());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name: 'team-llm',
      provider_type: 'openai',
      provider_category: 'byok',
      api_key: null,
      organization_id: a.orgId,
    });
    providerId = res.body.id;
    expect(providerId).toMatch(/^provider-/);
    const list = await callAs(t.app, a.key, 'GET', '/v1/providers/');
    expect(list.body.map((p: { id: string }) => p.id)).toEqual([providerId]);
    expect(JSON.stringify(list.body)).not.toContain('sk-team-secret-1');
    expect((await callAs(t.app, a.key, 'GET', `/v1/providers/${providerId}`)).body.id).toBe(providerId);
    const rows = await t.ctx.dbh.db.execute(sql`SELECT api_key_enc FROM providers WHERE id = ${providerId}`);
    const stored = JSON.stringify(rows);
    expect(stored).toContain('v1:');
    expect(stored).not.toContain('sk-team-secret-1');
    expect(stored).not.toContain(Buffer.from('sk-team-secret-1').toString('base64'));
  });

  it("runs the organization's agent on its handle with its key", async () => {
    const agent = await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'team-llm/gpt-4o-mini', include_base_tools: false });
    expect(agent.status, JSON.stringify(agent.body)).toBe(200);
    expect(agent.body.model).toBe('team-llm/gpt-4o-mini');
    t.llm.enqueue({ text: 'Answered on your own key.' });
    const res = await callAs(t.app, a.key, 'POST', `/v1/agents/${agent.body.id}/messages`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.messages.find((m: { message_type: string }) => m.message_type === 'assistant_message')?.content).toBe(
      'Answered on your own key.',
    );
    expect(lastAuth('/chat/completions')).toBe('Bearer sk-team-secret-1');
  });

  it('another organization cannot see, check, change or use it', async () => {
    expect((await callAs(t.app, b.key, 'GET', '/v1/providers/')).body).toEqual([]);
    for (const [method, path, payload] of [
      ['GET', `/v1/providers/${providerId}`, undefined],
      ['PATCH', `/v1/providers/${providerId}`, { api_key: 'sk-stolen' }],
      ['POST', `/v1/providers/${providerId}/check`, undefined],
      ['PATCH', `/v1/providers/${providerId}/refresh`, undefined],
      ['DELETE', `/v1/providers/${providerId}`, undefined],
    ] as const) {
      expect((await callAs(t.app, b.key, method, path, payload)).status, `${method} ${path}`).toBe(404);
    }
    const agent = await callAs(t.app, b.key, 'POST', '/v1/agents/', { model: 'team-llm/gpt-4o-mini', include_base_tools: false });
    expect(agent.status).toBe(404);
    expect(agent.body.detail).toContain('team-llm');
  });

  it('checks the stored key, refreshes, takes a new key, and deletes', async () => {
    expect((await callAs(t.app, a.key, 'POST', `/v1/providers/${providerId}/check`)).status).toBe(200);
    const refreshed = await callAs(t.app, a.key, 'PATCH', `/v1/providers/${providerId}/refresh`);
    expect(refreshed.body.last_synced).toEqual(expect.any(String));
    const updated = await callAs(t.app, a.key, 'PATCH', `/v1/providers/${providerId}`, { api_key: 'sk-team-secret-2' });
    expect(updated.status).toBe(200);
    const res = await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'team-llm/gpt-4o-mini', include_base_tools: false });
    t.llm.enqueue({ text: 'new key' });
    await callAs(t.app, a.key, 'POST', `/v1/agents/${res.body.id}/messages`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(lastAuth('/chat/completions')).toBe('Bearer sk-team-secret-2');
    expect((await callAs(t.app, a.key, 'DELETE', `/v1/providers/${providerId}`)).body).toEqual({
      message: `Provider id=${providerId} successfully deleted`,
    });
    expect((await callAs(t.app, a.key, 'GET', `/v1/providers/${providerId}`)).status).toBe(404);
  });

  it('refuses a private base URL, an unknown type, a taken name and a server provider name', async () => {
    const priv = await callAs(t.app, a.key, 'POST', '/v1/providers/', body({ name: 'inside', base_url: 'http://10.1.2.3/v1' }));
    expect(priv.status).toBe(400);
    expect(priv.body.detail).toContain('outbound URL policy');
    expect((await callAs(t.app, a.key, 'POST', '/v1/providers/', body({ name: 'x', provider_type: 'bedrock' }))).status).toBe(400);
    expect((await callAs(t.app, a.key, 'POST', '/v1/providers/', body({ name: 'openai' }))).status).toBe(409);
    await callAs(t.app, a.key, 'POST', '/v1/providers/', body({ name: 'twice' }));
    expect((await callAs(t.app, a.key, 'POST', '/v1/providers/', body({ name: 'twice' }))).status).toBe(409);
    expect((await callAs(t.app, a.key, 'POST', '/v1/providers/', { name: 'x', provider_type: 'openai' })).status).toBe(422);
  });

  it('a provider that cannot be reached is a 502 from /check', async () => {
    const res = await callAs(t.app, a.key, 'POST', '/v1/providers/check', {
      provider_type: 'anthropic',
      api_key: 'bad',
      base_url: 'http://127.0.0.1:9/v1',
    });
    expect(res.status).toBe(502);
    expect(res.body.detail).toContain('Could not verify');
  });

  it('without MNEMO_SECRET_KEY a provider cannot be created, and the message names the variable', async () => {
    const svc = createProvidersService({
      db: t.ctx.dbh.db,
      secretKey: undefined,
      outbound: createOutboundPolicy([]),
      client: { fetch },
      reservedNames: () => [],
    });
    await expect(svc.create({ orgId: a.orgId, userId: 'user-test' }, ProviderCreate.parse(body()))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('MNEMO_SECRET_KEY'),
    });
  });
});
