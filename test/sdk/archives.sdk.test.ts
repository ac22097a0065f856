// Archives and passages through the official SDK, against a listening server; passages survive a restart.
// Restart = the first app and context are closed completely (workers stopped, HTTP closed) and a new context + app
// is built on the same database: on Postgres through a NEW connection pool to the same database URL, on PGlite
// through the same in-memory handle (an in-memory PGlite cannot be reopened from disk).
import Letta from '@letta-ai/letta-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { startScriptedLlm } from '../support/scripted-llm.js';
import { createTestDb } from '../support/test-db.js';

const EMB = {
  embedding_endpoint_type: 'openai' as const,
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 64,
  handle: 'openai/text-embedding-3-small',
  embedding_chunk_size: 300,
};
let llm: Awaited<ReturnType<typeof startScriptedLlm>>;
let h: DbHandle & { url?: string };

async function startServer(dbh: DbHandle) {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    MNEMO_DATA_DIR: '/nonexistent',
    OPENAI_API_KEY: 'k',
    OPENAI_BASE_URL: llm.openaiBaseUrl,
  });
  const ctx = await createContext(config, { dbh, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
  return { client: new Letta({ baseURL: url, apiKey: 'x' }), close: async () => (await app.close(), await ctx.close()) };
}
/** The test owns the database's lifetime: contexts get a handle whose close() leaves the database alone. */
const borrowed = (d: DbHandle): DbHandle => ({ ...d, close: async () => {} });

beforeAll(async () => {
  llm = await startScriptedLlm();
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
  await llm?.close();
});

describe('archives through the SDK', () => {
  let first: Awaited<ReturnType<typeof startServer>>;
  let c: Letta;
  const ids: Record<string, string> = {};

  it('archives: create, retrieve, update, list; passages create/createMany/delete', async () => {
    first = await startServer(borrowed(h));
    c = first.client;
    const a = await c.archives.create({ name: 'team-notes', description: 'shared', embedding_config: EMB });
    expect(a).toMatchObject({ name: 'team-notes', description: 'shared', vector_db_provider: 'native' });
    expect(a.embedding_config?.embedding_dim).toBe(64);
    expect((await c.archives.retrieve(a.id)).id).toBe(a.id);
    expect((await c.archives.update(a.id, { description: 'shared by the team' })).description).toBe('shared by the team');
    const listed = [];
    for await (const x of c.archives.list({ name: 'team-notes' })) listed.push(x.id);
    expect(listed).toEqual([a.id]);

    const p = await c.archives.passages.create(a.id, { text: 'The staging database restarts every Sunday at 03:00 UTC.', tags: ['ops'] });
    expect(p).toMatchObject({ archive_id: a.id, tags: ['ops'] });
    const many = await c.archives.passages.createMany(a.id, {
      passages: [{ text: 'Deploys are frozen during the last week of December.' }, { text: 'Throwaway passage to delete.' }],
    });
    expect(many).toHaveLength(2);
    await c.archives.passages.delete(many[1]!.id!, { archive_id: a.id });
    ids.archive = a.id;
    ids.sundayPassage = p.id!;
  });

  it('agent passages: create, list, search, delete; attach/detach a shared archive; passages.search', async () => {
    const agent = await c.agents.create({ name: 'keeper', model: 'openai/gpt-4o-mini', embedding_config: EMB });
    ids.agent = agent.id;
    const created = await c.agents.passages.create(agent.id, { text: 'The user is allergic to peanuts.', tags: ['health'] });
    expect(created[0]).toMatchObject({ text: 'The user is allergic to peanuts.', tags: ['health'] });
    const gone = await c.agents.passages.create(agent.id, { text: 'Temporary note about lunch.' });
    expect((await c.agents.passages.list(agent.id)).map((x) => x.text)).toEqual([
      'The user is allergic to peanuts.',
      'Temporary note about lunch.',
    ]);
    await c.agents.passages.delete(gone[0]!.id!, { agent_id: agent.id });

    const hit = await c.agents.passages.search(agent.id, { query: 'peanuts allergy' });
    expect(hit.results[0]?.content).toBe('The user is allergic to peanuts.');
    // The shared archive is invisible until attached, then searchable through the agent, then gone after detach.
    const sunday = () => c.agents.passages.search(agent.id, { query: 'staging database Sunday' });
    expect((await sunday()).results.map((r) => r.content)).not.toContain('The staging database restarts every Sunday at 03:00 UTC.');
    await c.agents.archives.attach(ids.archive!, { agent_id: agent.id });
    expect((await sunday()).results[0]?.content).toBe('The staging database restarts every Sunday at 03:00 UTC.');
    await c.agents.archives.detach(ids.archive!, { agent_id: agent.id });
    expect((await sunday()).results.map((r) => r.content)).not.toContain('The staging database restarts every Sunday at 03:00 UTC.');

    const global = await c.passages.search({ query: 'deploys frozen December', archive_id: ids.archive });
    expect(global[0]?.passage.text).toBe('Deploys are frozen during the last week of December.');
    expect(typeof global[0]?.score).toBe('number');
    await first.close();
  });

  it('passages survive a restart (new context and app on the same database)', async () => {
    const dbh = h.url ? await openDb({ databaseUrl: h.url, poolMax: 5 }) : borrowed(h);
    const second = await startServer(dbh);
    try {
      const c2 = second.client;
      expect((await c2.agents.passages.list(ids.agent!)).map((x) => x.text)).toEqual(['The user is allergic to peanuts.']);
      const hit = await c2.agents.passages.search(ids.agent!, { query: 'peanut allergy' });
      expect(hit.results[0]?.content).toBe('The user is allergic to peanuts.');
      const inArchive = await c2.passages.search({ query: 'staging restarts', archive_id: ids.archive });
      expect(inArchive[0]?.passage.id).toBe(ids.sundayPassage);
      await c2.archives.delete(ids.archive!);
      await expect(c2.archives.retrieve(ids.archive!)).rejects.toMatchObject({ status: 404 });
    } finally {
      await second.close();
    }
  });
});
