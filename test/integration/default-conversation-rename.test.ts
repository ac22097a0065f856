// Letta Code's `/rename convo` on the default conversation: PATCH /v1/conversations/default with a summary and no
// agent id names the default thread the caller's organization used last, and never reaches another organization.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { createOrgWithKey, callAs, type OrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-rename';
const t = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN } });
let a: OrgWithKey;
let b: OrgWithKey;

async function newAgent(org: OrgWithKey): Promise<string> {
  const r = await callAs(t.app, org.key, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', include_base_tools: false });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id;
}
async function turnOnDefault(org: OrgWithKey, agentId: string) {
  t.llm.enqueue({ text: 'ok' });
  const r = await callAs(t.app, org.key, 'POST', '/v1/conversations/default/messages', {
    agent_id: agentId,
    messages: [{ role: 'user', content: 'hi' }],
    streaming: false,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}
const rename = (org: OrgWithKey, summary: string) => callAs(t.app, org.key, 'PATCH', '/v1/conversations/default', { summary });
const summaryOf = async (org: OrgWithKey, agentId: string) =>
  (await callAs(t.app, org.key, 'GET', `/v1/conversations/default?agent_id=${agentId}`)).body.summary;

beforeAll(async () => {
  a = await createOrgWithKey(t.app, ADMIN, 'Alpha');
  b = await createOrgWithKey(t.app, ADMIN, 'Beta');
});

describe('renaming the default conversation without an agent id', () => {
  it('is a clear 400 while the organization has used no default thread', async () => {
    await newAgent(b);
    const r = await rename(b, 'Nothing yet');
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('agent_id is required');
  });

  it('renames the default thread the organization ran a turn on last', async () => {
    const x = await newAgent(a);
    const y = await newAgent(a);
    await turnOnDefault(a, x);
    await turnOnDefault(a, y);
    const r = await rename(a, 'Talking to Y');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: 'default', agent_id: y, summary: 'Talking to Y' });
    expect(await summaryOf(a, x)).toBeNull();

    await turnOnDefault(a, x);
    expect((await rename(a, 'Back to X')).body).toMatchObject({ agent_id: x, summary: 'Back to X' });
    expect(await summaryOf(a, y)).toBe('Talking to Y');
  });

  it('never names another organization’s thread', async () => {
    const z = await newAgent(b);
    expect((await rename(b, 'Still nothing')).status).toBe(400);
    await turnOnDefault(b, z);
    expect((await rename(b, 'Beta thread')).body).toMatchObject({ agent_id: z, summary: 'Beta thread' });
    const aAgents = (await callAs(t.app, a.key, 'GET', '/v1/agents/')).body as { id: string }[];
    for (const ag of aAgents) expect(await summaryOf(a, ag.id)).not.toBe('Beta thread');
  });
});
