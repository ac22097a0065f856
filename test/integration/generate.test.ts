// POST /v1/agents/{id}/generate: one completion with the agent's model and nothing stored.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

async function counts(agentId: string) {
  const count = async (q: ReturnType<typeof sql>) => ((await t.ctx.dbh.db.execute(q)) as unknown as { rows: { n: number }[] }).rows[0]?.n;
  return {
    messages: await count(sql`SELECT count(*)::int AS n FROM messages WHERE agent_id = ${agentId}`),
    runs: await count(sql`SELECT count(*)::int AS n FROM runs WHERE agent_id = ${agentId}`),
  };
}

describe('POST /v1/agents/{id}/generate', () => {
  it('answers with the agent model and writes no messages, runs or memory', async () => {
    const agent = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: Ada' }] });
    const before = await counts(agent.id);
    const blocksBefore = (await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks`)).body;
    t.llm.enqueue({ text: 'Paris.', usage: { promptTokens: 12, completionTokens: 2 } });
    const res = await call(t.app, 'POST', `/v1/agents/${agent.id}/generate`, { prompt: 'Capital of France?', system_prompt: 'Be terse.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      content: 'Paris.',
      model: 'gpt-4o-mini',
      usage: { message_type: 'usage_statistics', prompt_tokens: 12, completion_tokens: 2 },
    });
    const sent = t.llm.requests.at(-1)!.body;
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(sent.tools).toBeUndefined();
    expect(await counts(agent.id)).toEqual(before);
    expect((await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks`)).body).toEqual(blocksBefore);
  });

  it('forces a structured answer when a response_schema is given', async () => {
    const agent = await t.createAgent();
    t.llm.enqueue({ toolCalls: [{ name: 'structured_output', arguments: { ok: true } }] });
    const schema = { properties: { ok: { type: 'boolean' }, reason: { type: 'string' } }, required: ['ok'] };
    const res = await call(t.app, 'POST', `/v1/agents/${agent.id}/generate`, { prompt: 'Allowed?', response_schema: schema });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.content)).toEqual({ ok: true });
    const sent = t.llm.requests.at(-1)!.body;
    expect(sent.tools[0].function).toMatchObject({ name: 'structured_output', parameters: { required: ['ok'] } });
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'structured_output' } });
  });

  it('rejects an empty prompt, an unknown agent and an unknown override model; a provider error is a 502', async () => {
    const agent = await t.createAgent();
    expect((await call(t.app, 'POST', `/v1/agents/${agent.id}/generate`, { prompt: '   ' })).status).toBe(422);
    expect((await call(t.app, 'POST', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/generate', { prompt: 'x' })).status).toBe(404);
    expect((await call(t.app, 'POST', `/v1/agents/${agent.id}/generate`, { prompt: 'x', override_model: 'nowhere/model' })).status).toBe(
      404,
    );
    t.llm.enqueue({ error: { status: 400, message: 'bad request from provider' } });
    const res = await call(t.app, 'POST', `/v1/agents/${agent.id}/generate`, { prompt: 'x' });
    expect(res.status).toBe(502);
    expect(res.body.detail).toContain('LLM provider error');
  });
});
