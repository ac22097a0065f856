// Agent-to-agent messaging stays inside one organization: B's multi-agent tools cannot reach A's agents, by id or
// by matching tags, and nothing of A's changes or reaches the model on B's behalf.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';
import { ADMIN_KEY, as, createTenant, type Tenant } from './support/tenants.js';

const h = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN_KEY } });
const TAG = 'team-shared';
let A: Tenant;
let B: Tenant;
let aAgent: { id: string };
let bCaller: { id: string };
let bPeer: { id: string };

async function agent(who: Tenant, name: string) {
  const res = await as(h, who, 'POST', '/v1/agents/', {
    name,
    model: 'openai/gpt-4o-mini',
    system: `You are ${name}.`,
    tags: [TAG],
    include_multi_agent_tools: true,
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: string };
}
const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';
const lastRole = (r: RecordedRequest) => (r.body.messages.at(-1) as { role: string }).role;

/** The B caller runs `call` on a fresh message and answers in text after the tool result; others just reply. */
function script(call: ScriptedStep) {
  h.llm.setHandler((r) => {
    if (speaker(r) !== 'b_caller') return { text: `${speaker(r)} replies` };
    return lastRole(r) === 'tool' ? { text: 'done' } : call;
  });
}
async function send(id: string) {
  const res = await as(h, B, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content: 'go' }] });
  expect(res.status, res.text).toBe(200);
  return (res.body.messages as any[]).filter((m) => m.message_type === 'tool_return_message');
}
const aHistory = async () => (await as(h, A, 'GET', `/v1/agents/${aAgent.id}/messages?limit=100`)).text;
const aSpoke = () => h.llm.requests.filter((r) => speaker(r) === 'a_agent').length;

beforeAll(async () => {
  A = await createTenant(h, 'A');
  B = await createTenant(h, 'B');
  aAgent = await agent(A, 'a_agent');
  bCaller = await agent(B, 'b_caller');
  bPeer = await agent(B, 'b_peer');
});

describe('multi-agent tools across organizations', () => {
  it("cannot message another organization's agent and wait for its reply", async () => {
    const before = await aHistory();
    script({ toolCalls: [{ name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'hi', other_agent_id: aAgent.id } }] });
    const [ret] = await send(bCaller.id);
    expect(ret.status).toBe('error');
    expect(ret.tool_return).toMatch(/not found|does not exist|no agent/i);
    expect(aSpoke()).toBe(0);
    expect(await aHistory()).toBe(before);
  });

  it("cannot message another organization's agent asynchronously", async () => {
    const before = await aHistory();
    script({ toolCalls: [{ name: 'send_message_to_agent_async', arguments: { message: 'hi', other_agent_id: aAgent.id } }] });
    const [ret] = await send(bCaller.id);
    expect(ret.status).toBe('error');
    await new Promise((r) => setTimeout(r, 300));
    expect(aSpoke()).toBe(0);
    expect(await aHistory()).toBe(before);
  });

  it("matches tags only among its own organization's agents", async () => {
    const before = await aHistory();
    script({
      toolCalls: [{ name: 'send_message_to_agents_matching_tags', arguments: { message: 'status?', match_all: [TAG], match_some: [] } }],
    });
    const [ret] = await send(bCaller.id);
    expect(ret.tool_return).toContain(bPeer.id);
    expect(ret.tool_return).not.toContain(aAgent.id);
    expect(aSpoke()).toBe(0);
    expect(await aHistory()).toBe(before);
  });
});
