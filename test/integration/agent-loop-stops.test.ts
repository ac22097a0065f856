// Tool rules that depend on the previous tool (parent_last_tool, conditional), the remaining stop reasons, and a
// provider failure in the middle of a multi-step turn.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();
const agent = (body: Record<string, unknown> = {}) =>
  t.createAgent({
    memory_blocks: [
      { label: 'human', value: 'Name: unknown' },
      { label: 'persona', value: 'A helpful agent.' },
    ],
    ...body,
  });
const chats = () => t.llm.requests.filter((r) => r.path.includes('chat/completions'));
const offered = (i: number): string[] => (chats()[i]!.body.tools ?? []).map((x: any) => x.function.name);
const returnsOf = (body: any) => body.messages.filter((m: any) => m.message_type === 'tool_return_message');

describe('rules that look at the previous tool', () => {
  it('parent_last_tool: children only right after the parent, and then forced', async () => {
    const a = await agent({
      tools: ['core_memory_append', 'memory_rethink'],
      tool_rules: [{ type: 'parent_last_tool', tool_name: 'core_memory_append', children: ['memory_rethink'] }],
    });
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'too early' } }] },
      { toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: 'likes tea' } }] },
      { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'Likes tea.' } }] },
      { text: 'done' },
    );
    const res = await t.send(a.id, { input: 'go' });
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(offered(0)).not.toContain('memory_rethink');
    expect(offered(2)).toEqual(['memory_rethink']);
    expect(chats()[2]!.body.tool_choice).toEqual({ type: 'function', function: { name: 'memory_rethink' } });
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}/core-memory/blocks/human`)).body.value).toBe('Likes tea.');
    expect(returnsOf(res.body).map((r: any) => r.status)).toEqual(['error', 'success', 'success']);
  });

  it('conditional: the parent output picks the next tool; default_child otherwise', async () => {
    const a = await agent({
      tools: ['memory_rethink', 'core_memory_append', 'memory_insert'],
      tool_rules: [
        {
          type: 'conditional',
          tool_name: 'memory_rethink',
          child_output_mapping: { left: 'core_memory_append', right: 'memory_insert' },
          default_child: 'core_memory_append',
        },
      ],
    });
    const append = { toolCalls: [{ name: 'core_memory_append', arguments: { label: 'persona', content: 'x' } }] };
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'right' } }] },
      append,
      { toolCalls: [{ name: 'memory_insert', arguments: { label: 'persona', new_string: 'y', insert_line: 0 } }] },
      { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'somewhere else' } }] },
      append,
      { text: 'done' },
    );
    const res = await t.send(a.id, { input: 'go' });
    expect(offered(1)).toEqual(['memory_insert']);
    expect(offered(4)).toEqual(['core_memory_append']);
    const statuses = returnsOf(res.body).map((r: any) => r.status);
    expect(statuses).toEqual(['success', 'error', 'success', 'success', 'success']);
    expect(returnsOf(res.body)[1].tool_return).toContain('ToolConstraintError');
  });
});

describe('stop reasons', () => {
  it('invalid_llm_response for an unusable reply (no choices) and for an empty reply; nothing half-stored', async () => {
    const a = await agent();
    t.llm.enqueue({ error: { status: 200, body: { id: 'x', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [] } } });
    const res = await t.send(a.id, { input: 'hi' });
    expect(res.status).toBe(502);
    expect(res.body.detail).toMatchObject({ stop_reason: 'invalid_llm_response' });
    t.llm.enqueue({ text: '' });
    const empty = await t.send(a.id, { input: 'hi again' });
    expect(empty.status).toBe(502);
    expect(empty.body.detail).toMatchObject({ stop_reason: 'invalid_llm_response' });
    const run = await call(t.app, 'GET', `/v1/runs/${empty.body.detail.run_id}`);
    expect(run.body).toMatchObject({ status: 'failed', stop_reason: 'invalid_llm_response' });
    const steps = await call(t.app, 'GET', `/v1/runs/${empty.body.detail.run_id}/steps`);
    expect(steps.body.map((s: any) => s.status)).toEqual(['failed']);
    const history = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`);
    expect(history.body.map((m: any) => m.message_type)).toEqual(['system_message', 'user_message', 'user_message']);
  });

  it('max_tokens_exceeded when the reply was cut off', async () => {
    const a = await agent();
    t.llm.enqueue({ text: 'A long answer that was cut', finishReason: 'length' });
    const res = await t.send(a.id, { input: 'write a novel' });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('max_tokens_exceeded');
    expect(res.body.messages[0].content).toBe('A long answer that was cut');
  });

  it('context_window_overflow_in_system_prompt with a tiny context window, without calling the model', async () => {
    const a = await agent({ context_window_limit: 50 });
    const res = await t.send(a.id, { input: 'hi' });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('context_window_overflow_in_system_prompt');
    expect(chats()).toHaveLength(0);
    const run = await call(t.app, 'GET', `/v1/runs/${res.body.usage.run_ids[0]}`);
    expect(run.body.status).toBe('failed');
  });

  it('a window the system prompt fits but leaves no room for history is a normal response, not a 500', async () => {
    const a = await agent({
      context_window_limit: 4000,
      tools: ['memory_insert', 'memory_replace', 'conversation_search', 'archival_memory_search'],
    });
    t.llm.setHandler(() => ({ text: 'fine' }));
    const res = await t.send(a.id, { input: 'hi' });
    expect(res.status).not.toBe(500);
  });
});

describe('crash consistency', () => {
  it('a provider failure on step 2 keeps step 1 whole; the next turn continues from a valid history', async () => {
    const a = await agent({ tools: ['memory_replace'] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'Name: unknown', new_string: 'Name: Ada' } }] },
      { error: { status: 400, message: 'bad request on step 2' } },
    );
    const res = await t.send(a.id, { input: 'I am Ada' });
    expect(res.status).toBe(502);
    const runId = res.body.detail.run_id;
    const run = await call(t.app, 'GET', `/v1/runs/${runId}`);
    expect(run.body).toMatchObject({ status: 'failed', stop_reason: 'llm_api_error' });
    const steps = await call(t.app, 'GET', `/v1/runs/${runId}/steps?order=asc`);
    expect(steps.body.map((s: any) => s.status)).toEqual(['success', 'failed']);
    // Step 1 is complete: call, return and the block edit are all there.
    const history = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`);
    expect(history.body.map((m: any) => m.message_type)).toEqual([
      'system_message',
      'user_message',
      'tool_call_message',
      'tool_return_message',
    ]);
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}/core-memory/blocks/human`)).body.value).toBe('Name: Ada');
    // The next turn sends a valid transcript: the tool call is followed by its result.
    t.llm.enqueue({ text: 'hello Ada' });
    const next = await t.send(a.id, { input: 'still there?' });
    expect(next.body.stop_reason.stop_reason).toBe('end_turn');
    const roles = chats()
      .at(-1)!
      .body.messages.map((m: any) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
  });
});

describe('requests to a thread that does not exist', () => {
  it('answer 404 before any run exists (JSON, stream, async)', async () => {
    const missing = 'agent-00000000-0000-4000-8000-000000000000';
    const runsBefore = (await call(t.app, 'GET', '/v1/runs/')).body.length;
    for (const path of ['messages', 'messages/stream', 'messages/async']) {
      const res = await call(t.app, 'POST', `/v1/agents/${missing}/${path}`, { messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).toBe(404);
      expect(String(res.body.detail)).toContain(missing);
    }
    expect((await call(t.app, 'GET', '/v1/runs/')).body.length).toBe(runsBefore);
  });
});
