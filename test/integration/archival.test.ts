import { describe, expect, it } from 'vitest';
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

async function agent(body: Record<string, unknown> = {}) {
  const res = await call(t.app, 'POST', '/v1/agents/', { name: 'mem', model: 'openai/gpt-4o-mini', embedding_config: EMB, ...body });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

describe('agent archival memory', () => {
  it('inserts into a lazily created default archive, lists, searches and deletes', async () => {
    const id = await agent({ name: 'Ada', timezone: 'Europe/Paris' });
    const a = await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, {
      text: 'The user adopted a cat named Pixel in March.',
      tags: ['pets'],
    });
    expect(a.status).toBe(200);
    expect(a.body).toHaveLength(1);
    expect(a.body[0]).toMatchObject({ text: 'The user adopted a cat named Pixel in March.', tags: ['pets'], embedding: null });
    await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, { text: 'Favourite food is ramen with extra egg.', tags: ['food'] });
    const archives = await call(t.app, 'GET', `/v1/archives/?agent_id=${id}`);
    expect(archives.body.map((x: { name: string }) => x.name)).toEqual(["Ada's Archive"]);

    const list = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory`);
    expect(list.body.map((p: { text: string }) => p.text)).toEqual([
      'The user adopted a cat named Pixel in March.',
      'Favourite food is ramen with extra egg.',
    ]);
    const filtered = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory?search=ramen`);
    expect(filtered.body).toHaveLength(1);

    const s = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=cat%20Pixel`);
    expect(s.status).toBe(200);
    expect(s.body.count).toBeGreaterThan(0);
    expect(s.body.results[0]).toMatchObject({ content: 'The user adopted a cat named Pixel in March.', tags: ['pets'] });
    expect(s.body.results[0].timestamp).toMatch(/[+-]0[12]:00$/);
    expect(s.body.results[0].relevance.vector_rank).toBe(1);
    expect(s.body.results[0].relevance.fts_rank).toBe(1);

    const tagged = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=cat&tags=food`);
    expect(tagged.body.results.map((r: { content: string }) => r.content)).toEqual(['Favourite food is ramen with extra egg.']);

    const del = await call(t.app, 'DELETE', `/v1/agents/${id}/archival-memory/${a.body[0].id}`);
    expect(del.body).toEqual({ message: `Memory id=${a.body[0].id} successfully deleted` });
    expect((await call(t.app, 'DELETE', `/v1/agents/${id}/archival-memory/${a.body[0].id}`)).status).toBe(404);
  });

  it('splits long text into passages at paragraph boundaries', async () => {
    const id = await agent();
    const para = (i: number) => `Paragraph ${i}. ` + 'This sentence pads the paragraph with words. '.repeat(12);
    const text = [1, 2, 3, 4].map(para).join('\n\n');
    const res = await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, { text });
    expect(res.body.length).toBeGreaterThan(1);
    for (const p of res.body) expect(p.text.length).toBeLessThanOrEqual(1200);
    expect(res.body[0].text.startsWith('Paragraph 1.')).toBe(true);
  });

  it('applies tags and dates inside the query so top_k is filled', async () => {
    const id = await agent({ embedding_config: null });
    for (let i = 0; i < 30; i++) {
      await call(t.app, 'POST', `/v1/agents/${id}/archival-memory`, {
        text: `note ${i} about gardening tomatoes`,
        tags: i % 10 === 0 ? ['rare'] : ['common'],
        created_at: `2024-01-${String(i + 1).padStart(2, '0')}T12:00:00Z`,
      });
    }
    const rare = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=gardening&tags=rare&top_k=3`);
    expect(rare.body.count).toBe(3);
    const all = await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=tomatoes&tags=rare&tags=common&tag_match_mode=all`);
    expect(all.body.count).toBe(0);
    const dated = await call(
      t.app,
      'GET',
      `/v1/agents/${id}/archival-memory/search?query=tomatoes&start_datetime=2024-01-05&end_datetime=2024-01-06&top_k=10`,
    );
    expect(dated.body.results.map((r: { content: string }) => r.content).sort()).toEqual([
      'note 4 about gardening tomatoes',
      'note 5 about gardening tomatoes',
    ]);
    expect((await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=x&start_datetime=yesterday`)).status).toBe(400);
    expect((await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search`)).status).toBe(422);
    expect((await call(t.app, 'GET', `/v1/agents/${id}/archival-memory/search?query=%20`)).body).toEqual({ results: [], count: 0 });
  });

  it('validates ids and bodies', async () => {
    expect((await call(t.app, 'POST', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/archival-memory', { text: 'x' })).status).toBe(
      404,
    );
    expect((await call(t.app, 'POST', `/v1/agents/${await agent()}/archival-memory`, {})).status).toBe(422);
    expect((await call(t.app, 'GET', '/v1/agents/nope/archival-memory')).status).toBe(422);
  });
});

describe('archives', () => {
  it('CRUD, passages, attach/detach shares passages between agents', async () => {
    const created = await call(t.app, 'POST', '/v1/archives/', { name: 'team-notes', embedding: 'openai/text-embedding-3-small' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'team-notes', vector_db_provider: 'native', metadata: {} });
    expect(created.body.embedding_config.handle).toBe('openai/text-embedding-3-small');
    const aid = created.body.id;
    const one = await call(t.app, 'POST', `/v1/archives/${aid}/passages`, { text: 'Deploys happen on Tuesdays.', tags: ['ops'] });
    expect(one.body).toMatchObject({ archive_id: aid, text: 'Deploys happen on Tuesdays.', embedding: null });
    const batch = await call(t.app, 'POST', `/v1/archives/${aid}/passages/batch`, {
      passages: [{ text: 'Standup is at 9:30.' }, { text: 'The wiki lives on Confluence.', metadata: { src: 'x' } }],
    });
    expect(batch.body).toHaveLength(2);

    const a1 = await agent();
    const a2 = await agent();
    expect((await call(t.app, 'PATCH', `/v1/agents/${a1}/archives/attach/${aid}`)).body).toBeNull();
    await call(t.app, 'PATCH', `/v1/agents/${a2}/archives/attach/${aid}`);
    for (const a of [a1, a2]) {
      const s = await call(t.app, 'GET', `/v1/agents/${a}/archival-memory/search?query=when%20are%20deploys`);
      expect(s.body.results[0].content).toBe('Deploys happen on Tuesdays.');
    }
    const top = await call(t.app, 'POST', '/v1/passages/search', { query: 'standup', archive_id: aid, limit: 2 });
    expect(top.body[0].passage.text).toBe('Standup is at 9:30.');
    expect(top.body[0].score).toBeGreaterThan(0);
    await call(t.app, 'PATCH', `/v1/agents/${a2}/archives/detach/${aid}`);
    expect((await call(t.app, 'GET', `/v1/agents/${a2}/archival-memory/search?query=deploys`)).body.count).toBe(0);

    const upd = await call(t.app, 'PATCH', `/v1/archives/${aid}`, { description: 'shared' });
    expect(upd.body.description).toBe('shared');
    expect((await call(t.app, 'DELETE', `/v1/archives/${aid}/passages/${one.body.id}`)).status).toBe(204);
    expect((await call(t.app, 'DELETE', `/v1/archives/${aid}/passages/${one.body.id}`)).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/v1/archives/${aid}`)).status).toBe(204);
    expect((await call(t.app, 'GET', `/v1/archives/${aid}`)).status).toBe(404);
    expect((await call(t.app, 'POST', '/v1/archives/', {})).status).toBe(422);
  });

  it('paginates archives with cursors and filters by name', async () => {
    for (let i = 0; i < 3; i++) await call(t.app, 'POST', '/v1/archives/', { name: 'pg-arch' });
    const seen: string[] = [];
    let after = '';
    for (let g = 0; g < 5; g++) {
      const page = await call(t.app, 'GET', `/v1/archives/?name=pg-arch&limit=2${after ? `&after=${after}` : ''}`);
      if (!page.body.length) break;
      seen.push(...page.body.map((x: { id: string }) => x.id));
      after = page.body.at(-1).id;
    }
    expect(new Set(seen).size).toBe(3);
  });
});
