import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';

const t = useAgentHarness({ listen: true });

async function agent() {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    tools: ['memory_insert'],
    include_base_tools: false,
    memory_blocks: [
      { label: 'human', value: 'Name: Ada' },
      { label: 'persona', value: 'I tend the greenhouse.' },
    ],
  });
  expect(res.status).toBe(200);
  return res.body as { id: string; message_ids: string[] };
}
const newConversation = async (agentId: string, body: Record<string, unknown> = {}) => {
  const res = await call(t.app, 'POST', `/v1/conversations/?agent_id=${agentId}`, body);
  expect(res.status).toBe(200);
  return res.body;
};
const sendJson = (id: string, text: string) =>
  call(t.app, 'POST', `/v1/conversations/${id}/messages`, { messages: [{ role: 'user', content: text }], streaming: false });
const systemText = async (id: string) => (await call(t.app, 'GET', `/v1/conversations/${id}/messages?order=asc`)).body[0].content as string;
const lastText = (req: RecordedRequest) => JSON.stringify(req.body.messages.at(-1));

describe('conversations CRUD', () => {
  it('creates a conversation with its own system message, reads, updates, lists, and soft-deletes it', async () => {
    const a = await agent();
    const c = await newConversation(a.id, { summary: 'Tomato planning', description: 'spring', isolated_block_labels: ['human'] });
    expect(c).toMatchObject({ agent_id: a.id, summary: 'Tomato planning', description: 'spring', archived: false });
    expect(c.id).toMatch(/^conv-/);
    expect(c.in_context_message_ids).toHaveLength(1);
    expect(c.in_context_message_ids[0]).not.toBe(a.message_ids[0]);
    expect(await systemText(c.id)).toContain('I tend the greenhouse.');
    expect((await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body).toEqual(c);
    const updated = await call(t.app, 'PATCH', `/v1/conversations/${c.id}`, { summary: 'Tomatoes and beans', archived: true });
    expect(updated.body).toMatchObject({ summary: 'Tomatoes and beans', archived: true });
    expect(updated.body.archived_at).not.toBeNull();
    const other = await newConversation(a.id);
    const list = await call(t.app, 'GET', `/v1/conversations/?agent_id=${a.id}&order=asc`);
    expect(list.body.map((x: any) => x.id)).toEqual([c.id, other.id]);
    expect((await call(t.app, 'GET', `/v1/conversations/?agent_id=${a.id}&summary_search=beans`)).body.map((x: any) => x.id)).toEqual([
      c.id,
    ]);
    expect(
      (await call(t.app, 'GET', `/v1/conversations/?agent_id=${a.id}&limit=1&order=asc&after=${c.id}`)).body.map((x: any) => x.id),
    ).toEqual([other.id]);
    const del = await call(t.app, 'DELETE', `/v1/conversations/${c.id}`);
    expect(del).toMatchObject({ status: 200, body: null });
    expect((await call(t.app, 'GET', `/v1/conversations/${c.id}`)).status).toBe(404);
    expect((await call(t.app, 'GET', `/v1/conversations/?agent_id=${a.id}`)).body.map((x: any) => x.id)).toEqual([other.id]);
  });

  it('validates agent_id and ids, and 404s unknown ones', async () => {
    expect((await call(t.app, 'POST', '/v1/conversations/', {})).status).toBe(422);
    expect((await call(t.app, 'POST', '/v1/conversations/?agent_id=agent-00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
    expect((await call(t.app, 'GET', '/v1/conversations/conv-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(t.app, 'GET', '/v1/conversations/nope')).status).toBe(422);
  });
});

describe('conversation turns', () => {
  it('answers inside its own window and leaves the agent window alone', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'Hello from the conversation.' });
    const res = await sendJson(c.id, 'hi there');
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: any) => m.content)).toEqual(['Hello from the conversation.']);
    const conv = (await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body;
    expect(conv.in_context_message_ids).toHaveLength(3);
    expect(conv.last_message_at).not.toBeNull();
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.message_ids).toEqual(a.message_ids);
    const history = (await call(t.app, 'GET', `/v1/conversations/${c.id}/messages?order=asc`)).body;
    expect(history.map((m: any) => m.message_type)).toEqual(['system_message', 'user_message', 'assistant_message']);
    const run = (await call(t.app, 'GET', `/v1/runs/${res.body.usage.run_ids[0]}`)).body;
    expect(run).toMatchObject({ status: 'completed', agent_id: a.id });
  });

  it('exports a conversation as the agent file history, and filters agent messages by conversation_id', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'Conversation reply.' });
    await sendJson(c.id, 'only in the conversation');
    const file = (await call(t.app, 'GET', `/v1/agents/${a.id}/export?conversation_id=${c.id}`)).body;
    expect(file.agents[0].in_context_message_ids).toHaveLength(3);
    expect(JSON.stringify(file.agents[0].messages)).toContain('only in the conversation');
    const plain = (await call(t.app, 'GET', `/v1/agents/${a.id}/export`)).body;
    expect(JSON.stringify(plain.agents[0].messages)).not.toContain('only in the conversation');
    expect(plain.agents[0].in_context_message_ids).toHaveLength(1);
    const listed = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?conversation_id=${c.id}&order=asc`)).body;
    expect(listed.map((m: any) => m.message_type)).toEqual(['system_message', 'user_message', 'assistant_message']);
    const other = await agent();
    expect((await call(t.app, 'GET', `/v1/agents/${other.id}/export?conversation_id=${c.id}`)).status).toBe(404);
  });

  it("accepts 'default' (with agent_id) and a raw agent id as the agent's own thread", async () => {
    const a = await agent();
    t.llm.enqueue({ text: 'Default thread reply.' });
    const res = await call(t.app, 'POST', `/v1/conversations/default/messages?agent_id=${a.id}`, {
      messages: [{ role: 'user', content: 'hello default' }],
      streaming: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.messages[0].content).toBe('Default thread reply.');
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.message_ids).toHaveLength(3);
    const viaDefault = (await call(t.app, 'GET', `/v1/conversations/default/messages?agent_id=${a.id}&order=asc`)).body;
    const viaAgentId = (await call(t.app, 'GET', `/v1/conversations/${a.id}/messages?order=asc`)).body;
    expect(viaDefault.map((m: any) => m.message_type)).toEqual(['system_message', 'user_message', 'assistant_message']);
    expect(viaAgentId).toEqual(viaDefault);
    expect((await call(t.app, 'GET', '/v1/conversations/default/messages')).status).toBe(400);
  });

  it('streams by default as SSE (a ping first) ending with stop_reason, usage and [DONE]', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'Streamed hello.' });
    const res = await fetch(`${t.url}/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(parsed.map((e) => e.message_type)).toEqual(['ping', 'assistant_message', 'stop_reason', 'usage_statistics']);
    expect(parsed[1].content).toBe('Streamed hello.');
  });

  it('forks a conversation into an independent copy, recompiles, and cancels', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'First answer.' });
    await sendJson(c.id, 'first question');
    const fork = await call(t.app, 'POST', `/v1/conversations/${c.id}/fork`);
    expect(fork.status).toBe(200);
    expect(fork.body.in_context_message_ids).toHaveLength(3);
    expect(fork.body.in_context_message_ids.some((id: string) => c.in_context_message_ids.includes(id))).toBe(false);
    t.llm.enqueue({ text: 'Fork answer.' });
    await sendJson(fork.body.id, 'second question, fork only');
    expect((await call(t.app, 'GET', `/v1/conversations/${fork.body.id}`)).body.in_context_message_ids).toHaveLength(5);
    expect((await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body.in_context_message_ids).toHaveLength(3);
    expect(JSON.stringify(t.llm.requests.at(-1)!.body.messages)).toContain('first question');
    await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/human`, { value: 'Name: Ada Lovelace' });
    const dry = await call(t.app, 'POST', `/v1/conversations/${c.id}/recompile?dry_run=true`);
    expect(dry.body).toContain('Name: Ada Lovelace');
    expect(await systemText(c.id)).not.toContain('Name: Ada Lovelace');
    await call(t.app, 'POST', `/v1/conversations/${c.id}/recompile`);
    expect(await systemText(c.id)).toContain('Name: Ada Lovelace');
    expect((await call(t.app, 'POST', `/v1/conversations/${c.id}/cancel`)).body).toEqual({});
  });

  it('runs one turn at a time in a conversation, and cancel stops an active one', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'first', delayMs: 300 }, { text: 'second' });
    const [r1, r2] = await Promise.all([sendJson(c.id, 'question one'), sendJson(c.id, 'question two')]);
    expect([r1.body.messages[0].content, r2.body.messages[0].content].sort()).toEqual(['first', 'second']);
    // Serialized: the second turn starts only after the first one's answer is stored.
    const history = (await call(t.app, 'GET', `/v1/conversations/${c.id}/messages?order=asc`)).body;
    expect(history.map((m: any) => m.message_type)).toEqual([
      'system_message',
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
    expect([history[2].content, history[4].content]).toEqual(['first', 'second']);

    t.llm.enqueue({ text: 'slow', delayMs: 1500 });
    const pending = sendJson(c.id, 'a slow one');
    await new Promise((r) => setTimeout(r, 400));
    const cancelled = await call(t.app, 'POST', `/v1/conversations/${c.id}/cancel`);
    expect(Object.values(cancelled.body)).toEqual(['cancelled']);
    const done = await pending;
    const run = (await call(t.app, 'GET', `/v1/runs/${Object.keys(cancelled.body)[0]}`)).body;
    expect(run.status === 'cancelled' || done.body.stop_reason?.stop_reason === 'cancelled').toBe(true);
  });

  it('compacts only its own window', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    expect((await call(t.app, 'POST', `/v1/conversations/${c.id}/compact`, {})).status).toBe(400);
    for (const q of ['tomatoes?', 'beans?', 'peas?']) {
      t.llm.enqueue({ text: `About ${q}` });
      await sendJson(c.id, q);
    }
    const before = (await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body.in_context_message_ids;
    t.llm.enqueue({ text: 'The user asked about tomatoes, beans and peas.' });
    const res = await call(t.app, 'POST', `/v1/conversations/${c.id}/compact`, {});
    expect(res.status).toBe(200);
    expect(res.body.num_messages_before).toBe(before.length);
    expect(res.body.num_messages_after).toBeLessThan(before.length);
    expect(res.body.summary).toContain('tomatoes, beans and peas');
    const after = (await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body.in_context_message_ids;
    expect(after).toHaveLength(res.body.num_messages_after);
    expect(after[0]).toBe(before[0]);
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.message_ids).toEqual(a.message_ids);
  });

  it('runs two conversations of one agent in parallel sharing memory without losing a block edit', async () => {
    const a = await agent();
    const [c1, c2] = await Promise.all([newConversation(a.id), newConversation(a.id)]);
    t.llm.setHandler((req) => {
      const last = lastText(req);
      if (last.includes('"tool"') || req.body.messages.at(-1).role === 'tool') return { text: 'Noted.' };
      const fruit = last.includes('apples') ? 'apples' : 'pears';
      return { delayMs: 150, toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: `Likes ${fruit}` } }] };
    });
    const [r1, r2] = await Promise.all([sendJson(c1.id, 'I like apples'), sendJson(c2.id, 'I like pears')]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const human = (await call(t.app, 'GET', `/v1/agents/${a.id}/core-memory/blocks/human`)).body.value as string;
    expect(human).toContain('Likes apples');
    expect(human).toContain('Likes pears');
    const h1 = (await call(t.app, 'GET', `/v1/conversations/${c1.id}/messages?order=asc`)).body.map(
      (m: any) => m.content ?? m.tool_return ?? '',
    );
    expect(JSON.stringify(h1)).toContain('apples');
    expect(JSON.stringify(h1)).not.toContain('I like pears');
  });
});

const sse = async (res: Response) =>
  (await res.text())
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''));
const post = (path: string, body: unknown) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('conversation streams and settings', () => {
  it('streams tokens in the background and resumes the same run via /stream', async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    t.llm.enqueue({ text: 'Tokens one by one.' });
    const live = await sse(
      await post(`/v1/conversations/${c.id}/messages`, { input: 'hi', stream_tokens: true, background: true, include_pings: false }),
    );
    expect(live.at(-1)).toBe('[DONE]');
    const chunks = live.slice(0, -1).map((e) => JSON.parse(e));
    const deltas = chunks.filter((e) => e.message_type === 'assistant_message');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.content).join('')).toBe('Tokens one by one.');
    const runId = chunks.find((e) => e.message_type === 'usage_statistics').run_ids[0];
    const run = (await call(t.app, 'GET', `/v1/runs/${runId}`)).body;
    expect(run).toMatchObject({ conversation_id: c.id, background: true, status: 'completed' });
    // The turn used the conversation's window, not the agent's.
    expect((await call(t.app, 'GET', `/v1/conversations/${c.id}`)).body.in_context_message_ids).toHaveLength(3);
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.message_ids).toEqual(a.message_ids);

    const replayed = await sse(await post(`/v1/conversations/${c.id}/stream`, { include_pings: false }));
    expect(replayed.slice(0, -1).map((e) => JSON.parse(e))).toEqual(chunks);
    expect(replayed.at(-1)).toBe('[DONE]');
    const tail = (await sse(await post(`/v1/conversations/${c.id}/stream`, { include_pings: false, starting_after: 2 })))
      .slice(0, -1)
      .map((e) => JSON.parse(e));
    expect(tail.length).toBe(chunks.length - 2);
    const none = await newConversation(a.id);
    expect((await post(`/v1/conversations/${none.id}/stream`, {})).status).toBe(404);
  });

  it("names its own id as CONVERSATION_ID in the conversation's system prompt", async () => {
    const a = await agent();
    const c = await newConversation(a.id);
    expect(await systemText(c.id)).toContain(`CONVERSATION_ID: ${c.id}`);
    t.llm.enqueue({ text: 'ok' });
    await sendJson(c.id, 'hello');
    expect(JSON.stringify(t.llm.requests.at(-1)!.body.messages[0])).toContain(`CONVERSATION_ID: ${c.id}`);
  });

  it('orders the list by last_message_at when asked', async () => {
    const a = await agent();
    const older = await newConversation(a.id);
    const newer = await newConversation(a.id);
    t.llm.enqueue({ text: 'ok' });
    await sendJson(older.id, 'bump the older one');
    const ids = async (q: string) => (await call(t.app, 'GET', `/v1/conversations/?agent_id=${a.id}${q}`)).body.map((x: any) => x.id);
    expect(await ids('')).toEqual([newer.id, older.id]);
    expect(await ids('&order_by=created_at')).toEqual([newer.id, older.id]);
    expect(await ids('&order_by=last_message_at')).toEqual([older.id, newer.id]);
    expect(await ids('&order_by=last_message_at&order=asc')).toEqual([newer.id, older.id]);
    expect(await ids(`&order_by=last_message_at&limit=1&after=${older.id}`)).toEqual([newer.id]);
    expect((await call(t.app, 'GET', `/v1/conversations/?order_by=size`)).status).toBe(422);
  });

  it("applies the conversation's context_window_limit to its turns", async () => {
    const a = await agent();
    const limited = await newConversation(a.id, { context_window_limit: 2500 });
    const open = await newConversation(a.id);
    const stepWindow = async (res: any) => {
      const runId = res.body.usage.run_ids[0];
      return (await call(t.app, 'GET', `/v1/runs/${runId}/steps`)).body[0].context_window_limit;
    };
    t.llm.enqueue({ text: 'ok' }, { text: 'ok' });
    const agentWindow = await stepWindow(await sendJson(open.id, 'hello'));
    expect(agentWindow).toBeGreaterThan(2500);
    expect(await stepWindow(await sendJson(limited.id, 'hello'))).toBe(2500);
    // A long exchange overflows the clamped window: the conversation compacts, the agent's own window is untouched.
    t.llm.setHandler((req) =>
      JSON.stringify(req.body.messages).includes('summar') && req.body.tools == null ? { text: 'Earlier: long notes.' } : { text: 'noted' },
    );
    for (let i = 0; i < 3; i++) await sendJson(limited.id, `note ${i}: ${'lorem ipsum dolor sit amet '.repeat(150)}`);
    const msgs = (await call(t.app, 'GET', `/v1/conversations/${limited.id}/messages?order=asc&limit=200`)).body;
    expect(
      msgs.some(
        (m: any) =>
          m.message_type === 'summary_message' || (m.message_type === 'user_message' && String(m.content).includes('Earlier: long notes.')),
      ),
    ).toBe(true);
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.message_ids).toEqual(a.message_ids);
  });
});
