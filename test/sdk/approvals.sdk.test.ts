// Human-in-the-loop through the official SDK: approval switch, approve/deny answers, client tools, 409 while pending.
import Letta from '@letta-ai/letta-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let llm: ScriptedLlm;
let t: TestApp;
let client: Letta;
beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl }, { listen: true });
  client = new Letta({ baseURL: t.url, maxRetries: 0 });
});
afterAll(async () => {
  await t?.close();
  await llm?.close();
});
beforeEach(() => llm.reset());

async function agentWithGatedSearch() {
  const agent = await client.agents.create({ model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small', tools: ['conversation_search'], memory_blocks: [{ label: 'human', value: 'x' }] });
  await client.agents.tools.updateApproval('conversation_search', { agent_id: agent.id, body_requires_approval: true });
  return agent.id;
}

describe('approvals through the SDK', () => {
  it('pauses on a gated tool, refuses new input, then runs it once approved', async () => {
    const id = await agentWithGatedSearch();
    llm.enqueue({ toolCalls: [{ id: 'call-sdk', name: 'conversation_search', arguments: { query: 'pears' } }] });
    const first = await client.agents.messages.create(id, { messages: [{ role: 'user', content: 'look for pears' }] });
    expect(first.stop_reason.stop_reason).toBe('requires_approval');
    const request = first.messages.at(-1)!;
    expect(request.message_type).toBe('approval_request_message');
    await expect(client.agents.messages.create(id, { input: 'hello?' })).rejects.toMatchObject({ status: 409 });
    llm.enqueue({ text: 'No pears so far.' });
    const res = await client.agents.messages.create(id, { messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-sdk', approve: true }] }] });
    expect(res.stop_reason.stop_reason).toBe('end_turn');
    expect(res.messages.map((m) => m.message_type)).toEqual(['tool_return_message', 'assistant_message']);
    expect(res.messages[0]).toMatchObject({ tool_call_id: 'call-sdk', status: 'success' });
  });

  it('sends a denial reason to the model', async () => {
    const id = await agentWithGatedSearch();
    llm.enqueue({ toolCalls: [{ id: 'call-deny', name: 'conversation_search', arguments: { query: 'secrets' } }] });
    await client.agents.messages.create(id, { input: 'look for secrets' });
    llm.enqueue({ text: 'Fine.' });
    const res = await client.agents.messages.create(id, { messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-deny', approve: false, reason: 'not today' }] }] });
    expect(res.messages[0]).toMatchObject({ message_type: 'tool_return_message', status: 'error' });
    const seen = llm.requests.at(-1)!.body.messages.find((m: any) => m.role === 'tool');
    expect(seen.content).toContain('User reason: not today');
  });

  it('round-trips a client tool', async () => {
    const id = await agentWithGatedSearch();
    llm.enqueue({ toolCalls: [{ id: 'call-clock', name: 'read_clock', arguments: {} }] });
    const first = await client.agents.messages.create(id, { input: 'what time is it?', client_tools: [{ name: 'read_clock', description: 'Local time on the client' }] });
    expect(first.stop_reason.stop_reason).toBe('requires_approval');
    llm.enqueue({ text: 'It is noon.' });
    const res = await client.agents.messages.create(id, { messages: [{ type: 'approval', approvals: [{ type: 'tool', tool_call_id: 'call-clock', status: 'success', tool_return: '12:00' }] }] });
    expect(res.messages.map((m) => m.message_type)).toEqual(['tool_return_message', 'assistant_message']);
    expect(llm.requests.at(-1)!.body.messages.find((m: any) => m.role === 'tool').content).toContain('12:00');
  });
});
