// Human-in-the-loop through the official SDK: approval switch, approve/deny answers, client tools, 409 while pending.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ sdk: true });

async function agentWithGatedSearch() {
  const agent = await t.client.agents.create({
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    tools: ['conversation_search'],
    memory_blocks: [{ label: 'human', value: 'x' }],
  });
  await t.client.agents.tools.updateApproval('conversation_search', { agent_id: agent.id, body_requires_approval: true });
  return agent.id;
}

describe('approvals through the SDK', () => {
  it('pauses on a gated tool, refuses new input, then runs it once approved', async () => {
    const id = await agentWithGatedSearch();
    t.llm.enqueue({ toolCalls: [{ id: 'call-sdk', name: 'conversation_search', arguments: { query: 'pears' } }] });
    const first = await t.client.agents.messages.create(id, { messages: [{ role: 'user', content: 'look for pears' }] });
    expect(first.stop_reason.stop_reason).toBe('requires_approval');
    const request = first.messages.at(-1)!;
    expect(request.message_type).toBe('approval_request_message');
    await expect(t.client.agents.messages.create(id, { input: 'hello?' })).rejects.toMatchObject({ status: 409 });
    t.llm.enqueue({ text: 'No pears so far.' });
    const res = await t.client.agents.messages.create(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-sdk', approve: true }] }],
    });
    expect(res.stop_reason.stop_reason).toBe('end_turn');
    expect(res.messages.map((m) => m.message_type)).toEqual(['tool_return_message', 'assistant_message']);
    expect(res.messages[0]).toMatchObject({ tool_call_id: 'call-sdk', status: 'success' });
  });

  it('sends a denial reason to the model', async () => {
    const id = await agentWithGatedSearch();
    t.llm.enqueue({ toolCalls: [{ id: 'call-deny', name: 'conversation_search', arguments: { query: 'secrets' } }] });
    await t.client.agents.messages.create(id, { input: 'look for secrets' });
    t.llm.enqueue({ text: 'Fine.' });
    const res = await t.client.agents.messages.create(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-deny', approve: false, reason: 'not today' }] }],
    });
    expect(res.messages[0]).toMatchObject({ message_type: 'tool_return_message', status: 'error' });
    const seen = t.llm.requests.at(-1)!.body.messages.find((m: any) => m.role === 'tool');
    expect(seen.content).toContain('User reason: not today');
  });

  it('round-trips a client tool', async () => {
    const id = await agentWithGatedSearch();
    t.llm.enqueue({ toolCalls: [{ id: 'call-clock', name: 'read_clock', arguments: {} }] });
    const first = await t.client.agents.messages.create(id, {
      input: 'what time is it?',
      client_tools: [{ name: 'read_clock', description: 'Local time on the client' }],
    });
    expect(first.stop_reason.stop_reason).toBe('requires_approval');
    t.llm.enqueue({ text: 'It is noon.' });
    const res = await t.client.agents.messages.create(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'tool', tool_call_id: 'call-clock', status: 'success', tool_return: '12:00' }] }],
    });
    expect(res.messages.map((m) => m.message_type)).toEqual(['tool_return_message', 'assistant_message']);
    expect(t.llm.requests.at(-1)!.body.messages.find((m: any) => m.role === 'tool').content).toContain('12:00');
  });
});
