// Embeddings from any OpenAI-compatible server: base64 or floats whatever was asked; unusable vectors (zeros,
// NaN, wrong size) refused before they are stored; archival search never fails or scores NaN, whatever it holds.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { hashedEmbedding } from '../support/scripted-llm.js';

const t = useAgentHarness();
const DIM = 1536; // openai/text-embedding-3-small: the harness agents' embedding_dim, sent as `dimensions`

const insert = (agentId: string, text: string) => call(t.app, 'POST', `/v1/agents/${agentId}/archival-memory`, { text });
const search = (agentId: string, query: string) =>
  call(t.app, 'GET', `/v1/agents/${agentId}/archival-memory/search?query=${encodeURIComponent(query)}`);
const passageSearch = (agentId: string, query: string) => call(t.app, 'POST', '/v1/passages/search', { query, agent_id: agentId });
const count = async (agentId: string) => (await call(t.app, 'GET', `/v1/agents/${agentId}/archival-memory`)).body.length as number;

async function storedVector(passageId: string): Promise<number[]> {
  const res = await t.ctx.dbh.db.execute(sql`select embedding::text as e from passages where id = ${passageId}`);
  return JSON.parse((res as unknown as { rows: { e: string }[] }).rows[0]!.e);
}

/** Both search endpoints answer 200 with finite scores; returns the agent endpoint's results. */
async function searchOk(agentId: string, query: string): Promise<any[]> {
  const a = await search(agentId, query);
  expect(a.status).toBe(200);
  for (const r of a.body.results) expect(Number.isFinite(r.relevance.rrf_score)).toBe(true);
  const p = await passageSearch(agentId, query);
  expect(p.status).toBe(200);
  for (const r of p.body) expect(Number.isFinite(r.score)).toBe(true);
  expect(p.body.length).toBe(a.body.results.length);
  return a.body.results;
}

describe('embedding encodings', () => {
  it('stores the right vector when the server answers base64 as asked', async () => {
    const agent = await t.createAgent();
    const res = await insert(agent.id, 'red apples grow on trees');
    expect(res.status).toBe(200);
    expect(t.llm.requests.find((r) => r.path === '/v1/embeddings')!.body.encoding_format).toBe('base64');
    const v = await storedVector(res.body[0].id);
    expect(v).toHaveLength(DIM);
    hashedEmbedding('red apples grow on trees', DIM).forEach((x, i) => expect(v[i]).toBeCloseTo(x, 5));
  });

  it('stores the right vector when the server answers floats although base64 was asked', async () => {
    const agent = await t.createAgent();
    t.llm.setEmbeddingQuirks({ encoding: 'float' });
    const res = await insert(agent.id, 'red apples grow on trees');
    expect(res.status).toBe(200);
    const v = await storedVector(res.body[0].id);
    expect(v).toHaveLength(DIM);
    hashedEmbedding('red apples grow on trees', DIM).forEach((x, i) => expect(v[i]).toBeCloseTo(x, 5));
    expect((await insert(agent.id, 'blue whales swim in the ocean')).status).toBe(200);
    const hits = await searchOk(agent.id, 'apples');
    expect(hits[0].content).toBe('red apples grow on trees');
    expect(hits[0].relevance.vector_rank).toBe(1);
  });
});

describe('unusable vectors are refused before anything is stored', () => {
  const cases = [
    { name: 'all zeros', vector: (_: string, d: number) => new Array<number>(d).fill(0), problem: 'it is all zeros', encoding: undefined },
    {
      name: 'a wrong size',
      vector: (s: string, d: number) => hashedEmbedding(s, d / 2),
      problem: `it has ${DIM / 2} dimensions, expected ${DIM}`,
      encoding: undefined,
    },
    {
      name: 'NaN',
      vector: (s: string, d: number) => hashedEmbedding(s, d).map((x, i) => (i === 3 ? NaN : x)),
      problem: 'NaN or Infinity',
      encoding: 'base64' as const,
    },
  ];
  for (const c of cases) {
    it(`answers 422 naming the problem for ${c.name}, via the API`, async () => {
      const agent = await t.createAgent();
      t.llm.setEmbeddingQuirks({ vector: c.vector, encoding: c.encoding });
      const res = await insert(agent.id, 'something worth remembering');
      expect(res.status).toBe(422);
      expect(res.body.detail).toContain(c.problem);
      expect(await count(agent.id)).toBe(0);
      await searchOk(agent.id, 'something');
    });
  }

  it('gives the agent a failed archival_memory_insert result and the turn goes on', async () => {
    const agent = await t.createAgent({ tools: ['archival_memory_insert'] });
    t.llm.setEmbeddingQuirks({ vector: (_, d) => new Array<number>(d).fill(0) });
    t.llm.enqueue(
      { toolCalls: [{ name: 'archival_memory_insert', arguments: { content: 'the code is 4711' } }] },
      { text: 'I could not save it.' },
    );
    const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'remember the code 4711' }] });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    const ret = res.body.messages.find((m: any) => m.message_type === 'tool_return_message');
    expect(ret.status).toBe('error');
    expect(ret.tool_return).toContain('all zeros');
    expect(await count(agent.id)).toBe(0);
  });
});

describe('search never fails, whatever the archive holds', () => {
  it('answers over 0, 1 and 2 passages, and over identical texts', async () => {
    const agent = await t.createAgent();
    expect(await searchOk(agent.id, 'tea')).toEqual([]);
    await insert(agent.id, 'green tea in the morning');
    expect(await searchOk(agent.id, 'tea')).toHaveLength(1);
    await insert(agent.id, 'green tea in the morning');
    const two = await searchOk(agent.id, 'tea');
    expect(two).toHaveLength(2);
    expect(two[0].relevance.rrf_score).toBe(two[1].relevance.rrf_score);
    expect(await searchOk(agent.id, 'nothing matches this')).toBeDefined();
  });

  it('answers when every vector is orthogonal to the query (identical similarities)', async () => {
    const agent = await t.createAgent();
    const axis: Record<string, number> = { alpha: 0, beta: 1, gamma: 2 };
    t.llm.setEmbeddingQuirks({
      vector: (s, d) => new Array<number>(d).fill(0).map((_, i) => (i === (axis[s.split(' ')[0]!] ?? 3) ? 1 : 0)),
    });
    await insert(agent.id, 'alpha one');
    await insert(agent.id, 'beta two');
    const hits = await searchOk(agent.id, 'gamma');
    expect(hits).toHaveLength(2);
    expect((await searchOk(agent.id, 'alpha')).at(0).content).toBe('alpha one');
  });

  it('answers when a stored vector is all zeros (written before vectors were checked)', async () => {
    const agent = await t.createAgent();
    const a = await insert(agent.id, 'the blue door');
    await insert(agent.id, 'the red door');
    await t.ctx.dbh.db.execute(
      sql`update passages set embedding = array_fill(0::real, array[${DIM}::int])::vector where id = ${a.body[0].id}`,
    );
    const hits = await searchOk(agent.id, 'door');
    expect(hits).toHaveLength(2);
  });

  it('falls back to full text when the query vector is unusable', async () => {
    const agent = await t.createAgent();
    await insert(agent.id, 'the blue door');
    t.llm.setEmbeddingQuirks({ vector: (_, d) => new Array<number>(d).fill(0) });
    const hits = await searchOk(agent.id, 'blue');
    expect(hits.map((h) => h.content)).toEqual(['the blue door']);
    expect(hits[0].relevance.vector_rank).toBeNull();
  });
});
