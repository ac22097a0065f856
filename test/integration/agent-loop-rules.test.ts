import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ anthropic: true });
const agent = (body: Record<string, unknown>) => t.createAgent({ memory_blocks: [{ label: 'human', value: 'x' }], ...body });
const types = (res: { body: any }) => res.body.messages.map((m: any) => m.message_type);

describe('heartbeat loop (memgpt_v2_agent)', () => {
  it('replies through send_message and ends the turn', async () => {
    const a = await agent({ agent_type: 'memgpt_v2_agent' });
    t.llm.enqueue({ text: 'thinking', toolCalls: [{ name: 'send_message', arguments: { message: 'Hi!' } }] });
    const res = await t.send(a.id, { input: 'hello' });
    expect(types(res)).toEqual(['reasoning_message', 'assistant_message']);
    expect(res.body.messages[1].content).toBe('Hi!');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    const req = t.llm.requests.at(-1)!;
    expect(req.body.tool_choice).toBe('required');
    const convSearch = req.body.tools.find((x: any) => x.function.name === 'conversation_search');
    expect(convSearch.function.parameters.required).toContain('request_heartbeat');
  });

  it('continues after request_heartbeat and after a failed tool, with heartbeat messages in history', async () => {
    const a = await agent({ agent_type: 'memgpt_v2_agent' });
    t.llm.enqueue(
      { toolCalls: [{ name: 'conversation_search', arguments: { query: 'x', request_heartbeat: true } }] },
      { toolCalls: [{ name: 'memory_replace', arguments: { label: 'nope', old_string: 'a', new_string: 'b', request_heartbeat: false } }] },
      { toolCalls: [{ name: 'send_message', arguments: { message: 'done' } }] },
    );
    const res = await t.send(a.id, { input: 'go' });
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(res.body.usage.step_count).toBe(3);
    const hist = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`);
    const beats = hist.body.filter((m: any) => m.message_type === 'user_message' && String(m.content).includes('heartbeat'));
    expect(beats).toHaveLength(2);
  });

  it('fails with no_tool_call when the model answers in plain text', async () => {
    const a = await agent({ agent_type: 'memgpt_v2_agent' });
    t.llm.enqueue({ text: 'plain' });
    const res = await t.send(a.id, { input: 'go' });
    expect(res.body.stop_reason.stop_reason).toBe('no_tool_call');
  });
});

describe('tool rules through the loop', () => {
  it('run_first forces the first call; exit_loop ends with tool_rule; max_count_per_step removes a tool', async () => {
    const a = await agent({
      tools: ['conversation_search', 'archival_memory_search'],
      tool_rules: [
        { type: 'run_first', tool_name: 'conversation_search' },
        { type: 'max_count_per_step', tool_name: 'conversation_search', max_count_limit: 1 },
        { type: 'exit_loop', tool_name: 'archival_memory_search' },
      ],
    });
    t.llm.enqueue(
      { toolCalls: [{ name: 'conversation_search', arguments: { query: 'a' } }] },
      { toolCalls: [{ name: 'archival_memory_search', arguments: { query: 'b' } }] },
    );
    const res = await t.send(a.id, { input: 'go' });
    expect(res.body.stop_reason.stop_reason).toBe('tool_rule');
    const chats = t.llm.requests.filter((r) => r.path.includes('chat/completions'));
    expect(chats[0]!.body.tool_choice).toEqual({ type: 'function', function: { name: 'conversation_search' } });
    const second = chats[1]!.body.tools.map((x: any) => x.function.name);
    expect(second).toContain('archival_memory_search');
    expect(second).not.toContain('conversation_search');
  });

  it('constrain_child_tools rejects a disallowed call as a failed tool result; required_before_exit nags; continue_loop continues', async () => {
    const a = await agent({
      tools: ['conversation_search', 'archival_memory_search', 'memory_insert'],
      tool_rules: [
        { type: 'constrain_child_tools', tool_name: 'conversation_search', children: ['archival_memory_search'] },
        { type: 'required_before_exit', tool_name: 'memory_insert' },
        { type: 'continue_loop', tool_name: 'archival_memory_search' },
      ],
    });
    t.llm.enqueue(
      { toolCalls: [{ name: 'conversation_search', arguments: { query: 'a' } }] },
      { toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'y', insert_line: 0 } }] },
      { toolCalls: [{ name: 'archival_memory_search', arguments: { query: 'b' } }] },
      { text: 'trying to stop' },
      { toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'z', insert_line: 0 } }] },
      { text: 'bye' },
    );
    const res = await t.send(a.id, { input: 'go' });
    const returns = res.body.messages.filter((m: any) => m.message_type === 'tool_return_message');
    expect(returns[1].status).toBe('error');
    expect(returns[1].tool_return).toContain('ToolConstraintError');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(res.body.usage.step_count).toBe(6);
  });

  it('stops with invalid_tool_call when rule-prefilled args do not fit the schema', async () => {
    const a = await agent({
      tools: ['conversation_search'],
      tool_rules: [{ type: 'run_first', tool_name: 'conversation_search', args: { bogus: 1 } }],
    });
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'a' } }] });
    const res = await t.send(a.id, { input: 'go' });
    expect(res.body.stop_reason.stop_reason).toBe('invalid_tool_call');
  });
});

describe('providers and concurrency', () => {
  it('works with the Anthropic format', async () => {
    const a = await agent({ model: 'anthropic/claude-sonnet-4-5', tools: ['memory_replace'] });
    t.llm.enqueue(
      {
        reasoning: 'hmm',
        thinkingSignature: 'sig',
        toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'x', new_string: 'Bob' } }],
      },
      { text: 'ok Bob' },
    );
    const res = await t.send(a.id, { input: 'I am Bob' });
    expect(types(res)).toEqual(['reasoning_message', 'tool_call_message', 'tool_return_message', 'assistant_message']);
    expect(t.llm.requests.at(-1)!.format).toBe('anthropic');
    expect(JSON.stringify(t.llm.requests.at(-1)!.body.system)).toContain('Bob');
  });

  it('runs concurrent requests to one agent one at a time, none lost', async () => {
    const a = await agent({});
    t.llm.setHandler((r) => ({ text: `echo ${String(r.body.messages.at(-1).content)}`, delayMs: 20 }));
    const n = 6;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => t.send(a.id, { input: `m${i}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const hist = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`)).body.slice(1);
    expect(hist).toHaveLength(2 * n);
    for (let i = 0; i < hist.length; i += 2) {
      expect(hist[i].message_type).toBe('user_message');
      expect(hist[i + 1].content).toBe(`echo ${hist[i].content}`);
      expect(hist[i + 1].run_id).toBe(hist[i].run_id);
    }
  });
});
