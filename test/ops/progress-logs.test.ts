// Progress lines for long work: migrations (which ones, done), re-embedding, file processing and agent imports, each
// with a start, counts and ms.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { queryRows } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import type { JobContext } from '../../src/jobs/queue.js';
import { createEmbeddingClient } from '../../src/llm/embeddings.js';
import { startProgress } from '../../src/log-progress.js';
import { createEmbedderResolver } from '../../src/memory/embedding.js';
import { createReembedHandler } from '../../src/memory/reembed-job.js';
import { updateArchiveRow } from '../../src/resources/archives/archives.repo.js';
import { call, until } from '../support/http.js';
import { multipartFile } from '../support/multipart.js';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import type { TestApp } from '../support/test-app.js';
import { captureLog, loggedApp, type Capture } from './log-capture.js';

const EMB = {
  embedding_endpoint_type: 'openai',
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 64,
  handle: 'openai/text-embedding-3-small',
  embedding_chunk_size: 300,
};
let llm: ScriptedLlm;
let t: TestApp;
let cap: Capture;

beforeAll(async () => {
  llm = await startScriptedLlm();
  cap = captureLog();
  t = await loggedApp({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl }, cap);
});
afterAll(async () => {
  await t?.close();
  await llm?.close();
});

const withMsg = (prefix: string) => cap.lines.filter((l) => l.msg.startsWith(prefix));

describe('progress lines', () => {
  it('migrations: which ones are applied, then done with ms; nothing when none is pending', async () => {
    const own = captureLog();
    const fresh = await openDb({});
    try {
      await runMigrations(fresh, own.log);
      const [applying, done] = own.lines;
      const tags = await queryRows<{ n: number }>(fresh.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applying).toMatchObject({
        level: 30,
        count: tags[0]?.n,
        msg: expect.stringMatching(/^database migrations: applying \d+ \(0000_extensions, 0001_init/),
      });
      expect(applying?.migrations).toContain('0001_init');
      expect(done).toMatchObject({ msg: 'database migrations: done', count: tags[0]?.n });
      expect(typeof done?.ms).toBe('number');
      await runMigrations(fresh, own.log);
      expect(own.lines).toHaveLength(2);
    } finally {
      await fresh.close();
    }
  }, 180_000); // a fresh embedded database runs initdb and every migration: slow on a busy machine

  it('re-embedding: started with the total, progress per interval, done with the count', async () => {
    const a = await call(t.app, 'POST', '/v1/archives/', { name: 'facts', embedding_config: EMB });
    const passages = Array.from({ length: 7 }, (_, i) => ({ text: `Fact ${i}: door ${i} opens at ${i} o'clock.` }));
    expect((await call(t.app, 'POST', `/v1/archives/${a.body.id}/passages/batch`, { passages })).status).toBe(200);
    await updateArchiveRow(t.ctx.dbh.db, DEFAULT_ORG_ID, a.body.id, { embeddingConfig: { ...EMB, embedding_dim: 32 } });
    const embeddingClient = (_h: string, o?: { dimensions?: number; batchSize?: number }) =>
      createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, apiKey: 'k', model: 'text-embedding-3-small', ...o });
    const deps = { db: t.ctx.dbh.db, embedderFor: createEmbedderResolver({ embeddingClient }) };
    const own = captureLog();
    const ctx: Pick<JobContext, 'signal' | 'log'> = { signal: new AbortController().signal, log: own.log };
    await createReembedHandler(deps, 3, 0)({ archiveId: a.body.id, orgId: DEFAULT_ORG_ID }, ctx as JobContext);
    expect(own.lines.map((l) => [l.msg, l.total, l.done, l.passages])).toEqual([
      ['re-embedding archive: started', 7, undefined, undefined],
      ['re-embedding archive: 3 / 7', 7, 3, undefined],
      ['re-embedding archive: 6 / 7', 7, 6, undefined],
      ['re-embedding archive: 7 / 7', 7, 7, undefined],
      ['re-embedding archive: done', undefined, undefined, 7],
    ]);
    expect(own.lines.every((l) => l.archiveId === a.body.id)).toBe(true);
  });

  it('file processing: started, embedding with the chunk total, done with chunks and ms', async () => {
    const folder = await call(t.app, 'POST', '/v1/folders/', { name: 'manuals', embedding: 'openai/text-embedding-3-small' });
    const mp = multipartFile('pump.md', '# Pump\n\nBleed the valve before starting the pump.', 'text/markdown');
    const up = await t.app.inject({
      method: 'POST',
      url: `/v1/folders/${folder.body.id}/upload`,
      payload: mp.payload,
      headers: mp.headers,
    });
    const fileId = up.json().id;
    const done = await until(async () => withMsg('file processing: embedding: done').find((l) => l.fileId === fileId), 60_000);
    expect(withMsg('file processing: started').find((l) => l.fileId === fileId)).toMatchObject({
      fileName: expect.stringContaining('pump.md'),
      folderId: folder.body.id,
    });
    expect(withMsg('file processing: embedding: started').find((l) => l.fileId === fileId)).toMatchObject({
      total: 1,
      chars: expect.any(Number),
    });
    expect(done).toMatchObject({ chunks: 1, ms: expect.any(Number), totalMs: expect.any(Number) });
  });

  it('agent import: started with what the file holds, done with the new agent ids', async () => {
    const agent = await call(t.app, 'POST', '/v1/agents/', {
      name: 'porter',
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
    });
    const file = (await call(t.app, 'GET', `/v1/agents/${agent.body.id}/export`)).body;
    const imported = await call(t.app, 'POST', '/v1/agents/import', file);
    expect(imported.status).toBe(200);
    expect(withMsg('agent import started').at(-1)).toMatchObject({ agents: 1, blocks: file.blocks.length, messages: expect.any(Number) });
    expect(withMsg('agent import done').at(-1)).toMatchObject({ agentIds: imported.body.agent_ids, ms: expect.any(Number) });
  });

  it('startProgress stays quiet between intervals', () => {
    const own = captureLog();
    let now = 0;
    const p = startProgress(own.log, 'work', { id: 'x' }, { total: 10, everyMs: 1_000, now: () => now });
    now = 500;
    p.step(3);
    now = 1_200;
    p.step(5);
    now = 1_300;
    p.step(6);
    p.finish({ items: 10 });
    expect(own.lines.map((l) => l.msg)).toEqual(['work: started', 'work: 5 / 10', 'work: done']);
    expect(own.lines[2]).toMatchObject({ id: 'x', items: 10, ms: 1_300 });
  });
});
