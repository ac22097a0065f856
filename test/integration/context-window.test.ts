import { beforeEach, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';

const t = useAgentHarness({ listen: true });
const isSummarizer = (r: RecordedRequest) =>
  String(r.body.messages?.[0]?.content ?? '').includes('long-term memory of a conversational agent');
/** Summarizer calls answer with a fixed summary; chat calls echo, or fail once with an overflow when asked. */
let overflowNext = false;
const handler = (r: RecordedRequest): ScriptedStep => {
  if (isSummarizer(r))
    return {
      text: `SUMMARY of ${
        String(r.body.messages[1].content)
          .match(/secret-\w+/g)
          ?.join(',') ?? 'nothing'
      }`,
    };
  if (overflowNext) {
    overflowNext = false;
    return { error: { status: 400, type: 'context_length_exceeded' } };
  }
  return { text: 'ok' };
};

beforeEach(() => {
  overflowNext = false;
  t.llm.setHandler(handler);
});

const agent = async (extra: Record<string, unknown> = {}) => (await t.createAgent({ name: 'cw', context_window_limit: 8000, ...extra })).id;
const say = (id: string, content: string, extra: Record<string, unknown> = {}) =>
  call(t.app, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content }], ...extra });

describe('GET /v1/agents/{id}/context', () => {
  it('reports token counts per part, the window and the memory counts', async () => {
    const id = await agent({ memory_blocks: [{ label: 'human', value: 'Name: Ada' }] });
    const before = await call(t.app, 'GET', `/v1/agents/${id}/context`);
    expect(before.status).toBe(200);
    const o = before.body;
    expect(o.context_window_size_max).toBe(8000);
    expect(o.num_tokens_system).toBeGreaterThan(10);
    expect(o.core_memory).toContain('Name: Ada');
    expect(o.num_tokens_core_memory).toBeGreaterThan(3);
    expect(o.num_tokens_functions_definitions).toBeGreaterThan(10);
    expect(o.functions_definitions[0].type).toBe('function');
    expect(o.num_archival_memory).toBe(0);
    expect(o.summary_memory).toBeNull();
    const parts =
      o.num_tokens_system +
      o.num_tokens_core_memory +
      o.num_tokens_external_memory_summary +
      o.num_tokens_tool_usage_rules +
      o.num_tokens_directories +
      o.num_tokens_functions_definitions +
      o.num_tokens_messages +
      o.num_tokens_summary_memory;
    expect(o.context_window_size_current).toBe(parts);
    expect((await say(id, 'hello there')).status).toBe(200);
    const after = (await call(t.app, 'GET', `/v1/agents/${id}/context`)).body;
    expect(after.num_messages).toBe(o.num_messages + 2);
    expect(after.num_recall_memory).toBe(o.num_recall_memory + 2);
    expect(after.num_tokens_messages).toBeGreaterThan(o.num_tokens_messages);
    expect(after.messages.some((m: { content?: string }) => m.content === 'hello there')).toBe(true);
    expect((await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, { text: 'a stored fact' })).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/agents/${id}/context`)).body.num_archival_memory).toBe(1);
    expect((await call(t.app, 'GET', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/context')).status).toBe(404);
  });
});

describe('POST /v1/agents/{id}/summarize', () => {
  it('400 when nothing can be compacted', async () => {
    const id = await agent();
    const r = await call(t.app, 'POST', `/v1/agents/${id}/summarize`, {});
    expect(r.status).toBe(400);
  });

  it('compacts: summary right after the system message, evicted messages stay in history', async () => {
    const id = await agent();
    for (let i = 0; i < 4; i++) expect((await say(id, `turn ${i} secret-${i}`)).status).toBe(200);
    const before = (await call(t.app, 'GET', `/v1/agents/${id}/context`)).body;
    const r = await call(t.app, 'POST', `/v1/agents/${id}/summarize`, { compaction_settings: { mode: 'all' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.num_messages_before).toBe(before.num_messages);
    expect(r.body.num_messages_after).toBeLessThan(r.body.num_messages_before);
    expect(r.body.summary).toContain('secret-0');
    const after = (await call(t.app, 'GET', `/v1/agents/${id}/context`)).body;
    expect(after.num_messages).toBe(r.body.num_messages_after);
    expect(after.summary_memory).toContain('summary of the previous messages');
    expect(after.num_tokens_summary_memory).toBeGreaterThan(0);
    const hist = await call(t.app, 'GET', `/v1/agents/${id}/messages?limit=100&order=asc`);
    expect(JSON.stringify(hist.body)).toContain('turn 0 secret-0');
    expect((await say(id, 'next')).status).toBe(200);
    const sent = t.llm.requests.filter((q) => !isSummarizer(q)).at(-1)!.body.messages;
    expect(sent[0].role).toBe('system');
    expect(String(sent[1].content)).toContain('SUMMARY of secret-0');
    expect(JSON.stringify(sent)).not.toContain('turn 0 secret-0');
  });
});

describe('compaction around a pending approval', () => {
  const approvalAgent = async (callId: string) => {
    const id = await agent({
      tools: ['conversation_search'],
      tool_rules: [{ type: 'requires_approval', tool_name: 'conversation_search' }],
    });
    for (let i = 0; i < 3; i++) expect((await say(id, `turn ${i} secret-${i}`)).status).toBe(200);
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'secret' }, id: callId }] });
    const asked = await say(id, 'please search');
    expect(asked.body.stop_reason.stop_reason).toBe('requires_approval');
    return { id, requestId: asked.body.messages.at(-1).id as string };
  };
  const approve = (id: string, callId: string) =>
    say(id, '', { messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: callId, approve: true }] }] });

  it('/summarize keeps the pending approval request, and answering it afterwards works', async () => {
    const { id, requestId } = await approvalAgent('call-keep');
    const r = await call(t.app, 'POST', `/v1/agents/${id}/summarize`, { compaction_settings: { mode: 'all' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ids = (await call(t.app, 'GET', `/v1/agents/${id}`)).body.message_ids as string[];
    expect(ids).toHaveLength(r.body.num_messages_after);
    expect(ids.at(-1)).toBe(requestId);
    const done = await approve(id, 'call-keep');
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.stop_reason.stop_reason).toBe('end_turn');
    expect(JSON.stringify(t.llm.requests.filter((q) => !isSummarizer(q)).at(-1)!.body.messages)).toContain('call-keep');
  });

  it('an overflow while answering an approval compacts older turns only: the request, its answer and its turn stay', async () => {
    const { id } = await approvalAgent('call-turn');
    overflowNext = true;
    const done = await approve(id, 'call-turn');
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.stop_reason.stop_reason).toBe('end_turn');
    const summarized = String(t.llm.requests.find(isSummarizer)!.body.messages[1].content);
    expect(summarized).toContain('secret-0');
    expect(summarized).not.toContain('please search');
    const msgs = t.llm.requests.filter((q) => !isSummarizer(q)).at(-1)!.body.messages as { role: string; content: unknown }[];
    const sent = JSON.stringify(msgs);
    expect(sent).toContain('please search');
    expect(sent).toContain('call-turn');
    expect(msgs.some((m) => m.content === 'turn 0 secret-0')).toBe(false);
    // The evicted turn is still searchable: the approved conversation_search found it.
    expect(String(msgs.find((m) => m.role === 'tool')!.content)).toContain('turn 0 secret-0');
  });
});

describe('conversations', () => {
  it('a compaction inside a conversation shrinks that conversation only; /context?conversation_id shows it', async () => {
    const id = await agent();
    expect((await say(id, 'default thread hello')).status).toBe(200);
    const agentIds = (await call(t.app, 'GET', `/v1/agents/${id}`)).body.message_ids;
    const conv = (await call(t.app, 'POST', `/v1/conversations/?agent_id=${id}`, {})).body;
    const talk = (text: string, extra: Record<string, unknown> = {}) =>
      call(t.app, 'POST', `/v1/conversations/${conv.id}/messages`, {
        messages: [{ role: 'user', content: text }],
        streaming: false,
        ...extra,
      });
    for (let i = 0; i < 3; i++) expect((await talk(`conv turn ${i} secret-c${i}`)).status).toBe(200);
    overflowNext = true;
    const r = await talk('conv current');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.stop_reason.stop_reason).toBe('end_turn');
    const c = (await call(t.app, 'GET', `/v1/conversations/${conv.id}`)).body;
    expect(c.in_context_message_ids).toHaveLength(4); // system, summary, current user message, answer
    expect((await call(t.app, 'GET', `/v1/agents/${id}`)).body.message_ids).toEqual(agentIds);
    const o = (await call(t.app, 'GET', `/v1/agents/${id}/context?conversation_id=${conv.id}`)).body;
    expect(o.summary_memory).toContain('secret-c0');
    expect(o.num_messages).toBe(c.in_context_message_ids.length);
    expect((await call(t.app, 'GET', `/v1/agents/${id}/context`)).body.summary_memory).toBeNull();
  });
});

describe('small windows', () => {
  it('a plain turn in a 4k window answers', async () => {
    const id = await agent({ context_window_limit: 4000 });
    const r = await say(id, 'hello');
    expect(r.status).toBe(200);
    expect(r.body.stop_reason.stop_reason).toBe('end_turn');
  });

  it('system prompt + tool schemas over the window: a normal response with the overflow stop reason, run failed', async () => {
    const id = await agent({ context_window_limit: 4000 });
    const o = (await call(t.app, 'GET', `/v1/agents/${id}/context`)).body;
    const fixed = o.context_window_size_current - o.num_tokens_messages - o.num_tokens_summary_memory;
    const sysOnly = fixed - o.num_tokens_functions_definitions;
    // The system message alone fits; with the tool schemas it does not.
    const limit = sysOnly + Math.floor(o.num_tokens_functions_definitions / 2);
    expect((await call(t.app, 'PATCH', `/v1/agents/${id}`, { context_window_limit: limit })).status).toBe(200);
    const r = await say(id, 'hello');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.stop_reason.stop_reason).toBe('context_window_overflow_in_system_prompt');
    const run = await call(t.app, 'GET', `/v1/runs/${r.body.usage.run_ids[0]}`);
    expect(run.body.status).toBe('failed');
    expect(t.llm.requests.filter((q) => !isSummarizer(q))).toHaveLength(0);
  });
});

describe('include_compaction_messages', () => {
  async function primed(): Promise<string> {
    const id = await agent();
    for (let i = 0; i < 3; i++) expect((await say(id, `turn ${i} secret-${i}`)).status).toBe(200);
    return id;
  }

  it('non-streaming: event_message then summary_message, then the answer; the current turn is kept', async () => {
    const id = await primed();
    overflowNext = true;
    const r = await say(id, 'current question secret-now', { include_compaction_messages: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.messages.map((m: { message_type: string }) => m.message_type)).toEqual([
      'event_message',
      'summary_message',
      'assistant_message',
    ]);
    const [ev, sm] = r.body.messages;
    expect(ev.event_type).toBe('compaction');
    expect(ev.event_data.trigger).toBe('context_window_exceeded');
    expect(sm.summary).toContain('secret-0');
    expect(sm.summary).not.toContain('secret-now');
    expect(sm.compaction_stats.messages_count_after).toBeLessThan(sm.compaction_stats.messages_count_before);
    const retry = t.llm.requests.filter((q) => !isSummarizer(q)).at(-1)!.body.messages;
    expect(JSON.stringify(retry)).toContain('current question secret-now');
  });

  it('without the flag the compaction is silent', async () => {
    const id = await primed();
    overflowNext = true;
    const r = await say(id, 'again');
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: { message_type: string }) => m.message_type)).toEqual(['assistant_message']);
  });

  it('streaming: the SSE stream carries the compaction messages', async () => {
    const id = await primed();
    overflowNext = true;
    const res = await fetch(`${t.url}/v1/agents/${id}/messages/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'streamed' }], include_compaction_messages: true, include_pings: false }),
    });
    expect(res.status).toBe(200);
    const types = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).message_type);
    expect(types).toEqual(['event_message', 'summary_message', 'assistant_message', 'stop_reason', 'usage_statistics']);
  });
});
