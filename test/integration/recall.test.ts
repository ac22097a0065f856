// Recall memory: a fact said early in a long conversation and then evicted from the context window (message_ids
// trimmed to the system message + the last few) is still found by the agent's conversation_search tool, through the
// real loop, and by the message search endpoint (full text, and vector once the messages are embedded).
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { call } from '../support/http.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ resetLlm: false });
const FACT = 'By the way, my passport number is X7741-QL and it expires in 2031.';
const TURNS = 100;

const send = async (id: string, input: string) => {
  const res = await call(t.app, 'POST', `/v1/agents/${id}/messages`, { input });
  expect(res.status).toBe(200);
  return res.body;
};
const lastPrompt = () => JSON.stringify(t.llm.requests.filter((r) => r.path.includes('chat')).at(-1)?.body.messages);

describe('recall of evicted messages', () => {
  let agentId = '';

  it('a fact evicted from message_ids is found by conversation_search through the loop', async () => {
    const created = await call(t.app, 'POST', '/v1/agents/', {
      name: 'recaller',
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
      tools: ['conversation_search'],
      memory_blocks: [
        { label: 'human', value: '' },
        { label: 'persona', value: 'A helpful agent.' },
      ],
    });
    expect(created.status).toBe(200);
    agentId = created.body.id;
    t.llm.setHandler(() => ({ text: 'noted' }));
    await send(agentId, FACT);
    for (let i = 0; i < TURNS; i++) await send(agentId, `Small talk number ${i} about the weather and the garden.`);

    // Evict everything but the system message and the last four messages.
    const agent = await call(t.app, 'GET', `/v1/agents/${agentId}`);
    const ids: string[] = agent.body.message_ids;
    expect(ids.length).toBeGreaterThan(2 * TURNS);
    const kept = [ids[0]!, ...ids.slice(-4)];
    const patched = await call(t.app, 'PATCH', `/v1/agents/${agentId}`, { message_ids: kept });
    expect(patched.status).toBe(200);
    expect(patched.body.message_ids).toEqual(kept);

    t.llm.setHandler(undefined);
    t.llm.enqueue({ toolCalls: [{ name: 'conversation_search', arguments: { query: 'passport number' } }] }, { text: 'It is X7741-QL.' });
    const res = await send(agentId, 'Remind me of that travel document id I gave you ages ago?');
    // The model really did not see the fact in its context: only the search brought it back.
    const firstCallOfTurn = t.llm.requests.filter((r) => r.path.includes('chat')).at(-2)?.body.messages;
    expect(JSON.stringify(firstCallOfTurn)).not.toContain('X7741-QL');
    const ret = res.messages.find((m: { message_type: string }) => m.message_type === 'tool_return_message');
    expect(ret.status).toBe('success');
    expect(ret.tool_return).toContain('X7741-QL');
    expect(lastPrompt()).toContain('X7741-QL');
  }, 300_000);

  it('the message search endpoint finds it by text, and by vector once messages are embedded', async () => {
    const byText = await call(t.app, 'POST', '/v1/messages/search', { query: 'passport', agent_id: agentId, search_mode: 'fts' });
    expect(byText.status).toBe(200);
    expect(byText.body[0]).toMatchObject({ message_type: 'user_message', content: FACT, agent_id: agentId });

    // The conversation_search call above embedded the agent's messages lazily (one batch covers them all here).
    const [counts] = await queryRows<{ total: number; embedded: number }>(
      t.ctx.dbh.db,
      sql`select count(*)::int as total,
      count(embedding)::int as embedded from messages where agent_id = ${agentId} and role in ('user', 'assistant')`,
    );
    expect(counts!.total).toBeGreaterThan(2 * TURNS);
    expect(counts!.embedded).toBeGreaterThan(2 * TURNS);
    expect(await t.ctx.services.memory.embedPendingMessages({ agentId, orgId: DEFAULT_ORG_ID })).toBeLessThan(5);
    const byVector = await call(t.app, 'POST', '/v1/messages/search', {
      query: 'my passport number expires',
      agent_id: agentId,
      search_mode: 'vector',
      limit: 3,
    });
    expect(byVector.body[0]).toMatchObject({ content: FACT, vector_rank: 1, fts_rank: null });
    const hybrid = await call(t.app, 'POST', '/v1/messages/search', { query: 'passport X7741-QL', agent_id: agentId });
    expect(hybrid.body[0]).toMatchObject({ content: FACT, fts_rank: 1 });
    expect(hybrid.body[0].vector_rank).toBeLessThanOrEqual(3);
  }, 120_000);
});
