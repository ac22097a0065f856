import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ anthropic: true });
const agent = (body: Record<string, unknown> = {}) =>
  t.createAgent({
    memory_blocks: [
      { label: 'human', value: 'Name: unknown' },
      { label: 'persona', value: 'A helpful agent.' },
    ],
    ...body,
  });

describe('letta_v1_agent loop', () => {
  it('answers with plain text and records a completed run with one step', async () => {
    const a = await agent();
    t.llm.enqueue({ text: 'Hello there!', usage: { promptTokens: 10, completionTokens: 3 } });
    const res = await t.send(a.id, { input: 'hi' });
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: any) => m.message_type)).toEqual(['assistant_message']);
    expect(res.body.messages[0].content).toBe('Hello there!');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(res.body.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3, step_count: 1 });
    const runId = res.body.usage.run_ids[0];
    const run = await call(t.app, 'GET', `/v1/runs/${runId}`);
    expect(run.body).toMatchObject({ status: 'completed', stop_reason: 'end_turn', agent_id: a.id });
    const steps = await call(t.app, 'GET', `/v1/runs/${runId}/steps`);
    expect(steps.body).toHaveLength(1);
    expect(steps.body[0]).toMatchObject({ prompt_tokens: 10, model: 'gpt-4o-mini', status: 'success' });
    const usage = await call(t.app, 'GET', `/v1/runs/${runId}/usage`);
    expect(usage.body.total_tokens).toBe(13);
    const history = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`);
    expect(history.body.map((m: any) => m.message_type)).toEqual(['system_message', 'user_message', 'assistant_message']);
    const again = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`);
    expect(again.body.map((m: any) => m.otid)).toEqual(history.body.map((m: any) => m.otid));
  });

  it('remembers a fact by editing its human block, visible in the next model request', async () => {
    const a = await agent({ tools: ['memory_replace'] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'Name: unknown', new_string: 'Name: Ada' } }] },
      { text: 'Noted, Ada.' },
    );
    const res = await t.send(a.id, { messages: [{ role: 'user', content: 'My name is Ada' }] });
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(res.body.messages.map((m: any) => m.message_type)).toEqual(['tool_call_message', 'tool_return_message', 'assistant_message']);
    expect(res.body.messages[1].status).toBe('success');
    const block = await call(t.app, 'GET', `/v1/agents/${a.id}/core-memory/blocks/human`);
    expect(block.body.value).toBe('Name: Ada');
    const secondCall = t.llm.requests.filter((r) => r.path.includes('chat/completions'))[1]!;
    expect(secondCall.body.messages[0].content).toContain('Name: Ada');
    const sys = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc&limit=1`);
    expect(sys.body[0].id).toBe(a.message_ids[0]);
    expect(sys.body[0].content).toContain('Name: Ada');
  });

  it('inserts into and searches archival memory through tools', async () => {
    const a = await agent({ tools: ['archival_memory_insert', 'archival_memory_search'] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'archival_memory_insert', arguments: { content: 'The launch code is pineapple' } }] },
      { toolCalls: [{ name: 'archival_memory_search', arguments: { query: 'pineapple' } }] },
      { text: 'done' },
    );
    const res = await t.send(a.id, { input: 'save and find' });
    const returns = res.body.messages.filter((m: any) => m.message_type === 'tool_return_message');
    expect(returns).toHaveLength(2);
    expect(returns[1].tool_return).toContain('pineapple');
  });

  it('finds earlier messages with conversation_search', async () => {
    const a = await agent({ tools: ['conversation_search'] });
    t.llm.enqueue({ text: 'ok' });
    await t.send(a.id, { input: 'my favourite colour is turquoise' });
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'turquoise' } }] }, { text: 'found it' });
    const res = await t.send(a.id, { input: 'what colour?' });
    const ret = res.body.messages.find((m: any) => m.message_type === 'tool_return_message');
    expect(ret.tool_return).toContain('turquoise');
  });

  it('turns model mistakes into failed tool results and goes on', async () => {
    const a = await agent({ tools: ['memory_replace'] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_replace', arguments: '{not json' }] },
      { toolCalls: [{ name: 'no_such_tool', arguments: {} }] },
      { toolCalls: [{ name: 'memory_replace', arguments: { label: 'nope', old_string: 'a', new_string: 'b' } }] },
      { text: 'sorry' },
    );
    const res = await t.send(a.id, { input: 'go' });
    expect(res.status).toBe(200);
    const returns = res.body.messages.filter((m: any) => m.message_type === 'tool_return_message');
    expect(returns.map((r: any) => r.status)).toEqual(['error', 'error', 'error']);
    expect(JSON.parse(returns[0].tool_return).status).toBe('Failed');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
  });

  it('stops at max_steps', async () => {
    const a = await agent({ tools: ['conversation_search'] });
    t.llm.setHandler(() => ({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'x' } }] }));
    const res = await t.send(a.id, { input: 'loop', max_steps: 2 });
    expect(res.body.stop_reason.stop_reason).toBe('max_steps');
    expect(res.body.usage.step_count).toBe(2);
  });

  it('fails the run with llm_api_error on a provider 500 and keeps history consistent', async () => {
    const a = await agent({ tools: ['conversation_search'] });
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'x' } }] });
    t.llm.setHandler(() => ({ error: { status: 500, message: 'boom' } }));
    const res = await t.send(a.id, { input: 'hi' });
    expect(res.status).toBe(502);
    const runs = await call(t.app, 'GET', `/v1/runs/?agent_id=${a.id}`);
    expect(runs.body[0]).toMatchObject({ status: 'failed', stop_reason: 'llm_api_error' });
    const state = await call(t.app, 'GET', `/v1/agents/${a.id}`);
    const roles = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`)).body.map((m: any) => m.message_type);
    expect(roles).toEqual(['system_message', 'user_message', 'tool_call_message', 'tool_return_message']);
    expect(state.body.message_ids).toHaveLength(4);
  });

  it('stops with requires_approval and refuses a new message while pending', async () => {
    const a = await agent({
      tools: ['conversation_search'],
      tool_rules: [{ type: 'requires_approval', tool_name: 'conversation_search' }],
    });
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'x' } }] });
    const res = await t.send(a.id, { input: 'search' });
    expect(res.body.stop_reason.stop_reason).toBe('requires_approval');
    expect(res.body.messages.at(-1).message_type).toBe('approval_request_message');
    const again = await t.send(a.id, { input: 'hello?' });
    expect(again.status).toBe(409);
  });

  it('validates the request body', async () => {
    const a = await agent();
    expect((await t.send(a.id, {})).status).toBe(422);
    expect((await t.send(a.id, { input: 'x', messages: [{ role: 'user', content: 'y' }] })).status).toBe(422);
    expect((await t.send(a.id, { input: 'x', stream_tokens: true })).status).toBe(422);
    expect((await t.send(a.id, { input: 'x', include_pings: false })).status).toBe(422);
    expect((await t.send('agent-00000000-0000-4000-8000-000000000000', { input: 'x' })).status).toBe(404);
  });
});
