// Reading history: newest-first order that keeps one message's parts together, SDK auto-pagination, and the
// history admin operations waiting for the agent's turn.
import Letta from '@letta-ai/letta-client';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ listen: true });
const agent = (body: Record<string, unknown> = {}) =>
  t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: unknown' }], ...body });

describe('GET /v1/agents/{id}/messages order', () => {
  it('desc lists messages newest first with each message keeping reasoning before its tool call', async () => {
    const a = await agent({ tools: ['core_memory_append'] });
    t.llm.enqueue(
      {
        reasoning: 'I should save this',
        reasoningField: 'reasoning_content',
        toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: 'likes tea' } }],
      },
      { text: 'saved' },
    );
    await t.send(a.id, { input: 'I like tea' });
    const asc = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc`)).body as any[];
    expect(asc.map((m) => m.message_type)).toEqual([
      'system_message',
      'user_message',
      'reasoning_message',
      'tool_call_message',
      'tool_return_message',
      'assistant_message',
    ]);
    const desc = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=desc`)).body as any[];
    expect(desc.map((m) => m.message_type)).toEqual([
      'assistant_message',
      'tool_return_message',
      'reasoning_message',
      'tool_call_message',
      'user_message',
      'system_message',
    ]);
    expect(desc[2].id).toBe(desc[3].id);
    // Default order is desc.
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}/messages`)).body.map((m: any) => m.otid)).toEqual(desc.map((m) => m.otid));
  });

  it('SDK auto-pagination walks every page and ends (desc and asc, limit 2)', async () => {
    const a = await agent({ tools: ['core_memory_append'] });
    t.llm.setHandler((r) =>
      r.body.messages.at(-1).role === 'tool'
        ? { text: 'ok' }
        : {
            reasoning: 'hmm',
            reasoningField: 'reasoning_content',
            toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: 'x' } }],
          },
    );
    for (const text of ['one', 'two', 'three']) await t.send(a.id, { input: text });
    const client = new Letta({ baseURL: t.url, apiKey: 'x' });
    const all = (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc&limit=1000`)).body as any[];
    expect(all.length).toBeGreaterThan(10);
    for (const order of ['desc', 'asc'] as const) {
      const seen: any[] = [];
      for await (const m of client.agents.messages.list(a.id, { order, limit: 2 })) {
        seen.push(m);
        if (seen.length > 100) throw new Error('pagination did not end');
      }
      const expected = order === 'asc' ? all : (await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=desc&limit=1000`)).body;
      expect(seen.map((m) => `${m.id}/${m.otid}`)).toEqual(expected.map((m: any) => `${m.id}/${m.otid}`));
    }
  });
});

describe('GET /v1/agents/{id}/messages with filters', () => {
  it('never returns an empty page while matching messages remain (include_return_message_types, SDK pagination)', async () => {
    const a = await agent({ tools: ['core_memory_append'] });
    t.llm.setHandler((r) =>
      r.body.messages.at(-1).role === 'tool'
        ? { text: `done ${r.body.messages.length}` }
        : { toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: 'x' } }] },
    );
    for (const text of ['one', 'two', 'three']) await t.send(a.id, { input: text });
    // Each turn stores user, tool call, tool return, then the answer: a page of 2 rows may hold no assistant message.
    const first = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?order=asc&limit=2&include_return_message_types=assistant_message`);
    expect(first.body.map((m: any) => m.message_type)).toEqual(['assistant_message']);
    const client = new Letta({ baseURL: t.url, apiKey: 'x' });
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      for await (const m of client.agents.messages.list(a.id, { order, limit: 2, include_return_message_types: ['assistant_message'] })) {
        seen.push((m as any).content);
        if (seen.length > 20) throw new Error('pagination did not end');
      }
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(3);
      expect(seen.every((c) => /^done \d+$/.test(c))).toBe(true);
    }
  });
});

describe('history admin under the turn lock', () => {
  it('reset-messages waits for a running turn instead of being overwritten by it', async () => {
    const a = await agent();
    t.llm.enqueue({ text: 'slow answer', delayMs: 500 });
    const turn = t.send(a.id, { input: 'hello' });
    await new Promise((r) => setTimeout(r, 150));
    const reset = await call(t.app, 'PATCH', `/v1/agents/${a.id}/reset-messages`, {});
    expect(reset.status).toBe(200);
    expect((await turn).body.stop_reason.stop_reason).toBe('end_turn');
    // Had the reset run mid-turn, the turn's final write would have put the old messages back in context.
    const after = await call(t.app, 'GET', `/v1/agents/${a.id}`);
    expect(after.body.message_ids).toEqual([a.message_ids[0]]);
  });

  it('recompile waits for a running turn and sees its memory edit', async () => {
    const a = await agent({ tools: ['core_memory_append'] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: 'Likes jazz' } }], delayMs: 500 },
      { text: 'ok' },
    );
    const turn = t.send(a.id, { input: 'I like jazz' });
    await new Promise((r) => setTimeout(r, 150));
    const res = await call(t.app, 'POST', `/v1/agents/${a.id}/recompile`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Likes jazz');
    await turn;
  });

  it('reset of an unknown agent is a 404', async () => {
    const res = await call(t.app, 'PATCH', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/reset-messages', {});
    expect(res.status).toBe(404);
  });
});
