// Human-in-the-loop on the streamed entry points: /messages/stream and conversation turns (SSE and JSON).
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ sdk: true });

async function collect(stream: AsyncIterable<unknown>): Promise<any[]> {
  const out: any[] = [];
  for await (const ev of stream) out.push(ev);
  return out.filter((e) => e.message_type !== 'ping');
}

async function gatedAgent() {
  const agent = await t.client.agents.create({
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    tools: ['conversation_search'],
    memory_blocks: [{ label: 'human', value: 'x' }],
  });
  await t.client.agents.tools.updateApproval('conversation_search', { agent_id: agent.id, body_requires_approval: true });
  return agent;
}
const approve = (id: string) => ({
  messages: [{ type: 'approval' as const, approvals: [{ type: 'approval' as const, tool_call_id: id, approve: true }] }],
});

describe('approvals through streamed requests', () => {
  it('pauses a streamed turn on a gated tool and runs it when a streamed request approves it', async () => {
    const agent = await gatedAgent();
    t.llm.enqueue({ toolCalls: [{ id: 'call-s1', name: 'conversation_search', arguments: { query: 'plums' } }] });
    const first = await collect(
      await t.client.agents.messages.stream(agent.id, { messages: [{ role: 'user', content: 'look for plums' }] }),
    );
    expect(first.map((e) => e.message_type)).toEqual(['approval_request_message', 'stop_reason', 'usage_statistics']);
    expect(first[1].stop_reason).toBe('requires_approval');
    // New input while the approval waits: 409 before any SSE.
    await expect(t.client.agents.messages.stream(agent.id, { input: 'hello?' })).rejects.toMatchObject({ status: 409 });
    // An answer that matches nothing pending: 400, no run.
    await expect(t.client.agents.messages.stream(agent.id, approve('call-unknown'))).rejects.toMatchObject({ status: 400 });

    t.llm.enqueue({ text: 'No plums yet.' });
    const second = await collect(await t.client.agents.messages.stream(agent.id, { ...approve('call-s1'), stream_tokens: true }));
    expect([...new Set(second.map((e) => e.message_type))]).toEqual([
      'tool_return_message',
      'assistant_message',
      'stop_reason',
      'usage_statistics',
    ]);
    expect(second[0]).toMatchObject({ tool_call_id: 'call-s1', status: 'success' });
    expect(
      second
        .filter((e) => e.message_type === 'assistant_message')
        .map((e) => e.content)
        .join(''),
    ).toBe('No plums yet.');
    const history = (await call(t.app, 'GET', `/v1/agents/${agent.id}/messages?order=asc`)).body.map((m: any) => m.message_type);
    expect(history).toContain('approval_response_message');
  });

  it('approves inside a conversation, over SSE and as JSON, leaving the agent window alone', async () => {
    const agent = await gatedAgent();
    const before = (await t.client.agents.retrieve(agent.id)).message_ids;
    const conv = await t.client.conversations.create({ agent_id: agent.id });
    t.llm.enqueue({ toolCalls: [{ id: 'call-c1', name: 'conversation_search', arguments: { query: 'figs' } }] });
    const first = await collect(
      await t.client.conversations.messages.create(conv.id, { messages: [{ role: 'user', content: 'look for figs' }] }),
    );
    expect(first.map((e) => e.message_type)).toEqual(['approval_request_message', 'stop_reason', 'usage_statistics']);
    await expect(t.client.conversations.messages.create(conv.id, { input: 'still there?' })).rejects.toMatchObject({ status: 409 });

    t.llm.enqueue({ text: 'No figs.' });
    const answered = await collect(await t.client.conversations.messages.create(conv.id, approve('call-c1')));
    expect(answered.map((e) => e.message_type)).toEqual(['tool_return_message', 'assistant_message', 'stop_reason', 'usage_statistics']);

    t.llm.enqueue(
      { toolCalls: [{ id: 'call-c2', name: 'conversation_search', arguments: { query: 'dates' } }] },
      { text: 'Denied, fine.' },
    );
    const asked = await call(t.app, 'POST', `/v1/conversations/${conv.id}/messages`, { input: 'look for dates', streaming: false });
    expect(asked.body.stop_reason.stop_reason).toBe('requires_approval');
    const denied = await call(t.app, 'POST', `/v1/conversations/${conv.id}/messages`, {
      streaming: false,
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-c2', approve: false, reason: 'not now' }] }],
    });
    expect(denied.status).toBe(200);
    expect(denied.body.messages.map((m: any) => m.message_type)).toEqual(['tool_return_message', 'assistant_message']);
    expect(denied.body.messages[0]).toMatchObject({ tool_call_id: 'call-c2', status: 'error' });

    const types = (await call(t.app, 'GET', `/v1/conversations/${conv.id}/messages?order=asc`)).body.map((m: any) => m.message_type);
    expect(types.filter((x: string) => x === 'approval_response_message')).toHaveLength(2);
    expect((await t.client.agents.retrieve(agent.id)).message_ids).toEqual(before);
  });
});
