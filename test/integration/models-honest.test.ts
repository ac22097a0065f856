// /v1/models lists what the providers themselves offer: a provider that does not answer is left out, an organization
// sees its own BYOK providers' models, and an agent cannot be given a model its provider does not list.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { callAs, createOrgWithKey, type OrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-models';
// OpenAI on the scripted LLM; Anthropic on a closed port (nothing listens on 127.0.0.1:9).
const t = useAgentHarness({
  env: {
    MNEMO_API_KEY: ADMIN,
    MNEMO_SECRET_KEY: 'm'.repeat(48),
    MNEMO_OUTBOUND_ALLOW: '127.0.0.1',
    ANTHROPIC_API_KEY: 'k',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
  },
});
let a: OrgWithKey;
let b: OrgWithKey;
beforeAll(async () => {
  a = await createOrgWithKey(t.app, ADMIN, 'ModelsA');
  b = await createOrgWithKey(t.app, ADMIN, 'ModelsB');
});

const handles = (body: unknown) => (body as { handle: string }[]).map((m) => m.handle);

describe('honest model lists', () => {
  it("lists the reachable provider's models and leaves out the unreachable one's", async () => {
    const res = await callAs(t.app, a.key, 'GET', '/v1/models/');
    expect(res.status).toBe(200);
    expect(handles(res.body)).toContain('openai/gpt-4o-mini');
    expect(handles(res.body)).not.toContain('openai/text-embedding-3-small');
    expect(handles(res.body).some((h) => h.startsWith('anthropic/'))).toBe(false);
    const emb = await callAs(t.app, a.key, 'GET', '/v1/models/embedding');
    expect(handles(emb.body)).toEqual(['openai/text-embedding-3-small', 'openai/text-embedding-3-large']);
  });

  it('refuses a model its provider does not list, naming the handle, on create and update', async () => {
    const bad = await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'openai/gpt-9' });
    expect(bad.status).toBe(404);
    expect(bad.body.detail).toContain('openai/gpt-9');
    const ok = await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini' });
    expect(ok.status).toBe(200);
    const upd = await callAs(t.app, a.key, 'PATCH', `/v1/agents/${ok.body.id}`, { model: 'openai/gpt-9' });
    expect(upd.status).toBe(404);
    expect(upd.body.detail).toContain('openai/gpt-9');
  });

  it('accepts any model of a provider whose list is unavailable', async () => {
    const res = await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'anthropic/claude-anything' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("lists an organization's own provider's models to it alone, and checks its handles", async () => {
    const created = await callAs(t.app, a.key, 'POST', '/v1/providers/', {
      name: 'team-llm',
      provider_type: 'openai',
      api_key: 'sk-team',
      base_url: t.llm.openaiBaseUrl,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const mine = await callAs(t.app, a.key, 'GET', '/v1/models/');
    const entry = (mine.body as { handle: string; provider_category: string }[]).find((m) => m.handle === 'team-llm/gpt-4o');
    expect(entry?.provider_category).toBe('byok');
    expect(t.llm.requests.filter((r) => r.path === '/v1/models').at(-1)?.headers.authorization).toBe('Bearer sk-team');
    const byCategory = await callAs(t.app, a.key, 'GET', '/v1/models/?provider_category=byok');
    expect(handles(byCategory.body).every((h) => h.startsWith('team-llm/'))).toBe(true);
    const theirs = await callAs(t.app, b.key, 'GET', '/v1/models/');
    expect(handles(theirs.body).some((h) => h.startsWith('team-llm/'))).toBe(false);
    expect((await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'team-llm/nope' })).status).toBe(404);
    expect((await callAs(t.app, a.key, 'POST', '/v1/agents/', { model: 'team-llm/gpt-4o' })).status).toBe(200);
    expect((await callAs(t.app, b.key, 'POST', '/v1/agents/', { model: 'team-llm/gpt-4o' })).status).toBe(404);
  });
});
