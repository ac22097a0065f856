// Re-embedding after a model change (durable job, batches, resumable) and the archival insert tool's split note.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { createEmbeddingClient } from '../../src/llm/embeddings.js';
import { createReembedHandler, reembedBatch } from '../../src/memory/reembed-job.js';
import type { JobContext } from '../../src/jobs/queue.js';
import { createEmbedderResolver } from '../../src/memory/embedding.js';
import { updateArchiveRow } from '../../src/resources/archives/archives.repo.js';
import { call } from '../support/http.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ resetLlm: false });
const EMB = {
  embedding_endpoint_type: 'openai',
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 64,
  handle: 'openai/text-embedding-3-small',
  embedding_chunk_size: 300,
};
const EMB32 = { ...EMB, embedding_dim: 32 };

const dims = (archiveId: string) =>
  queryRows<{ d: number | null; n: number }>(
    t.ctx.dbh.db,
    sql`select embedding_dim as d, count(*)::int as n from passages
    where archive_id = ${archiveId} group by embedding_dim order by embedding_dim`,
  );
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await check()).toBe(true);
}
const embeddedInputs = () =>
  t.llm.requests.filter((r) => r.path.endsWith('/embeddings')).reduce((n, r) => n + [r.body.input].flat().length, 0);
async function archiveWith(n: number): Promise<string> {
  const a = await call(t.app, 'POST', '/v1/archives/', { name: `re-${n}-${Math.random()}`, embedding_config: EMB });
  const passages = Array.from({ length: n }, (_, i) => ({
    text: `Fact number ${i}: the ${['red', 'green', 'blue'][i % 3]} door opens at ${i} o'clock.`,
  }));
  expect((await call(t.app, 'POST', `/v1/archives/${a.body.id}/passages/batch`, { passages })).status).toBe(200);
  return a.body.id;
}

describe('re-embedding', () => {
  it('PATCH /v1/archives/{id} with a new embedding_config re-embeds every passage in the background', async () => {
    const id = await archiveWith(9);
    expect(await dims(id)).toEqual([{ d: 64, n: 9 }]);
    const res = await call(t.app, 'PATCH', `/v1/archives/${id}`, { embedding_config: EMB32 });
    expect(res.status).toBe(200);
    expect(res.body.embedding_config.embedding_dim).toBe(32);
    await until(async () => JSON.stringify(await dims(id)) === JSON.stringify([{ d: 32, n: 9 }]));
    const hit = await call(t.app, 'POST', '/v1/passages/search', { query: 'green door opens', archive_id: id, limit: 3 });
    expect(hit.body[0].metadata.vector_rank).not.toBeNull();
    // Same config again (keys in another order): nothing to do, no job.
    const jobsBefore = await queryRows<{ n: number }>(t.ctx.dbh.db, sql`select count(*)::int as n from jobs where queue = 'reembed'`);
    await call(t.app, 'PATCH', `/v1/archives/${id}`, { embedding_config: Object.fromEntries(Object.entries(EMB32).reverse()) });
    expect(await queryRows(t.ctx.dbh.db, sql`select count(*)::int as n from jobs where queue = 'reembed'`)).toEqual(jobsBefore);
  });

  it('resumes where it stopped: only passages still on the old config are embedded again', async () => {
    const id = await archiveWith(7);
    // The config switch committed but the worker "crashed" after one batch of three.
    await updateArchiveRow(t.ctx.dbh.db, DEFAULT_ORG_ID, id, { embeddingConfig: EMB32 });
    const embeddingClient = (_handle: string, o?: { dimensions?: number; batchSize?: number }) =>
      createEmbeddingClient({ baseUrl: t.llm.openaiBaseUrl, apiKey: 'k', model: 'text-embedding-3-small', ...o });
    const deps = { db: t.ctx.dbh.db, embedderFor: createEmbedderResolver({ embeddingClient }) };
    const p = { archiveId: id, orgId: DEFAULT_ORG_ID };
    expect(await reembedBatch(deps, p, 3)).toBe(3);
    expect(await dims(id)).toEqual([
      { d: 32, n: 3 },
      { d: 64, n: 4 },
    ]);
    const before = embeddedInputs();
    const ctx = { signal: new AbortController().signal, log: pino({ level: 'silent' }) } as unknown as JobContext;
    await createReembedHandler(deps, 3)(p, ctx);
    expect(embeddedInputs() - before).toBe(4);
    expect(await dims(id)).toEqual([{ d: 32, n: 7 }]);
  });

  it("an agent's embedding change re-embeds its default archive on the next archival use", async () => {
    const agent = await call(t.app, 'POST', '/v1/agents/', { name: 'mover', model: 'openai/gpt-4o-mini', embedding_config: EMB });
    const id = agent.body.id;
    await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, { text: 'The spare key is under the blue flowerpot.' });
    await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, { text: 'The wifi password is taped inside the cupboard.' });
    const [own] = (await call(t.app, 'GET', `/v1/archives/?agent_id=${id}`)).body;
    expect((await call(t.app, 'PATCH', `/v1/agents/${id}`, { embedding_config: EMB32 })).status).toBe(200);
    await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=spare%20key`);
    await until(async () => JSON.stringify(await dims(own.id)) === JSON.stringify([{ d: 32, n: 2 }]));
    const s = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=where%20is%20the%20spare%20key`);
    expect(s.body.results[0]).toMatchObject({ content: 'The spare key is under the blue flowerpot.' });
    expect(s.body.results[0].relevance.vector_rank).toBe(1);
  });
});

describe('archival_memory_insert tool', () => {
  it('tells the model when a long text was split into several passages', async () => {
    const agent = await call(t.app, 'POST', '/v1/agents/', {
      name: 'splitter',
      model: 'openai/gpt-4o-mini',
      embedding_config: EMB,
      tools: ['archival_memory_insert'],
    });
    const long = [1, 2, 3].map((i) => `Chapter ${i}. ` + 'A sentence that fills up the chapter with words. '.repeat(25)).join('\n\n');
    t.llm.enqueue({ toolCalls: [{ name: 'archival_memory_insert', arguments: { content: long } }] }, { text: 'saved' });
    const res = await call(t.app, 'POST', `/v1/agents/${agent.body.id}/messages`, { input: 'remember this' });
    const ret = res.body.messages.find((m: { message_type: string }) => m.message_type === 'tool_return_message');
    expect(ret.status).toBe('success');
    expect(ret.tool_return).toMatch(/stored as [3-9] passages/);
  });
});
