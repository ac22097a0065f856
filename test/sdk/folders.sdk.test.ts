// Folders and files end to end through the official SDK: upload a markdown file and a PDF, watch them complete,
// attach the folder, let an agent (scripted model, real provider path) grep, semantically search and open them;
// deleting a file removes it from every search; everything survives a restart (new context + app, same database).
import Letta, { toFile } from '@letta-ai/letta-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { until } from '../support/http.js';
import { startScriptedLlm, type ScriptedStep } from '../support/scripted-llm.js';
import { createTestDb } from '../support/test-db.js';
import { tinyPdf } from '../support/tiny-pdf.js';

const EMB = {
  embedding_endpoint_type: 'openai' as const,
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 64,
  handle: 'openai/text-embedding-3-small',
  embedding_chunk_size: 300,
};
const MD = [
  '# Field notes',
  '',
  'The quokka colony lives on Rottnest Island.',
  '',
  'Zebra crossings were painted on Tuesday.',
  '',
  'Line six talks about lighthouses.',
].join('\n');
const PDF = tinyPdf([
  ['Quarterly report', 'Revenue from narwhal tours grew by nine percent.'],
  ['Appendix: the pelican budget is unchanged.'],
]);

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
  return { client: new Letta({ baseURL: url, apiKey: 'x' }), url, close: async () => (await app.close(), await ctx.close()) };
}
const borrowed = (d: DbHandle): DbHandle => ({ ...d, close: async () => {} });

/** Runs one turn whose model calls `calls` one per step, then answers; returns the tool returns in order. */
async function toolTurn(c: Letta, agentId: string, calls: { name: string; arguments: Record<string, unknown> }[]): Promise<string[]> {
  const steps: ScriptedStep[] = calls.map((t, i) => ({ toolCalls: [{ id: `call-${i}-${Date.now()}`, ...t }] }));
  llm.enqueue(...steps, { text: 'done' });
  const res = await c.agents.messages.create(agentId, { messages: [{ role: 'user', content: 'look through my files' }] });
  return res.messages
    .filter((m) => m.message_type === 'tool_return_message')
    .map((m) => String((m as { tool_return?: unknown }).tool_return));
}

beforeAll(async () => {
  llm = await startScriptedLlm();
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
  await llm?.close();
});

describe('folders and files through the SDK', () => {
  let first: Awaited<ReturnType<typeof startServer>>;
  let c: Letta;
  const ids: Record<string, string> = {};

  it('creates a folder, uploads markdown and PDF, and both complete with their text', async () => {
    first = await startServer(borrowed(h));
    c = first.client;
    const folder = await c.folders.create({ name: 'research', description: 'field work', embedding_config: EMB });
    expect(folder.id).toMatch(/^source-[0-9a-f-]{36}$/);
    expect(folder.embedding_config.embedding_dim).toBe(64);
    ids.folder = folder.id;
    const md = await c.folders.files.upload(folder.id, { file: await toFile(Buffer.from(MD), 'notes.md', { type: 'text/markdown' }) });
    expect(md).toMatchObject({ source_id: folder.id, file_name: 'research/notes.md', original_file_name: 'notes.md' });
    expect(['parsing', 'embedding', 'completed']).toContain(md.processing_status);
    const pdf = await c.folders.files.upload(folder.id, { file: await toFile(PDF, 'report.pdf', { type: 'application/pdf' }) });
    ids.md = md.id;
    ids.pdf = pdf.id;
    for (const id of [md.id, pdf.id]) {
      const done = await until(async () => {
        const f = await c.folders.files.retrieve(id, { folder_id: folder.id });
        return f.processing_status === 'completed' || f.processing_status === 'error' ? f : undefined;
      }, 60_000); // generous: PDF parsing on a loaded 2-core machine
      expect(done.processing_status).toBe('completed');
      expect(done.total_chunks).toBeGreaterThan(0);
      expect(done.chunks_embedded).toBe(done.total_chunks);
    }
    const withText = await c.folders.files.retrieve(pdf.id, { folder_id: folder.id, include_content: true });
    expect(withText.content).toContain('narwhal tours');
    const listed = [];
    for await (const f of c.folders.files.list(folder.id)) listed.push(f.file_name);
    expect(listed.sort()).toEqual(['research/notes.md', 'research/report.pdf']);
    // A second upload of the same name gets a suffix (the default duplicate handling).
    const dup = await c.folders.files.upload(folder.id, { file: await toFile(Buffer.from('copy'), 'notes.md') });
    expect(dup.file_name).toBe('research/notes_(1).md');
    await c.folders.files.delete(dup.id, { folder_id: folder.id });
  });

  it('attaching the folder gives the agent the file tools and its files in context', async () => {
    const agent = await c.agents.create({ name: 'reader', model: 'openai/gpt-4o-mini', embedding_config: EMB });
    ids.agent = agent.id;
    const state = await c.agents.folders.attach(ids.folder!, { agent_id: agent.id });
    expect(state?.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['open_files', 'grep_files', 'semantic_search_files']));
    expect(await c.folders.agents.list(ids.folder!)).toEqual([agent.id]);
    const folders = [];
    for await (const f of c.agents.folders.list(agent.id)) folders.push(f.id);
    expect(folders).toEqual([ids.folder]);
    const files = (await c.agents.files.list(agent.id)).files;
    expect(files.map((f) => [f.file_name, f.is_open])).toEqual([
      ['research/notes.md', true],
      ['research/report.pdf', true],
    ]);
    expect(files[0]!.visible_content).toContain('[Viewing file start (out of 4 lines)]\n1: # Field notes');
    const ctxRes = (await fetch(`${first.url}/v1/agents/${agent.id}/context`).then((r) => r.json())) as {
      num_tokens_directories: number;
      directories: string;
    };
    expect(ctxRes.num_tokens_directories).toBeGreaterThan(0);
    expect(ctxRes.directories).toContain('<directory name="research">');
  });

  it('the agent greps, semantically searches and opens files through its tools', async () => {
    const [grep, sem, open] = await toolTurn(c, ids.agent!, [
      { name: 'grep_files', arguments: { pattern: 'zebra|narwhal', context_lines: 0 } },
      { name: 'semantic_search_files', arguments: { query: 'quokka colony Rottnest Island', limit: 3 } },
      {
        name: 'open_files',
        arguments: { file_requests: [{ file_name: 'research/notes.md', offset: 1, length: 2 }], close_all_others: true },
      },
    ]);
    expect(grep).toContain('Found 2 total matches across 2 files');
    expect(grep).toContain('> 3: Zebra crossings were painted on Tuesday.');
    expect(grep).toContain('narwhal tours');
    expect(sem).toContain('=== research/notes.md (passage #1) ===');
    expect(sem).toContain('quokka colony');
    expect(open).toContain('* Opened research/notes.md (lines 2-3)');
    expect(open).toContain('close_all_others');
    const files = (await c.agents.files.list(ids.agent!)).files;
    expect(files.find((f) => f.file_name === 'research/notes.md')?.visible_content).toBe(
      '[Viewing lines 2 to 3 (out of 4 lines)]\n2: The quokka colony lives on Rottnest Island.\n3: Zebra crossings were painted on Tuesday.',
    );
    expect(files.find((f) => f.file_name === 'research/report.pdf')?.is_open).toBe(false);
    // The next turn's system prompt shows the window: the open range, and the closed file by name only.
    llm.enqueue({ text: 'ok' });
    await c.agents.messages.create(ids.agent!, { messages: [{ role: 'user', content: 'thanks' }] });
    const system = String(llm.requests.at(-1)!.body.messages[0].content);
    expect(system).toContain('<file status="open" name="research/notes.md">');
    expect(system).toContain('2: The quokka colony lives on Rottnest Island.');
    expect(system).toContain('<file status="closed" name="research/report.pdf">');
    expect(system).not.toContain('narwhal tours');
    // Manual open/close through the SDK.
    expect(await c.agents.files.open(ids.pdf!, { agent_id: ids.agent! })).toEqual([]);
    expect(await c.agents.files.closeAll(ids.agent!)).toEqual(expect.arrayContaining(['research/report.pdf', 'research/notes.md']));
    await first.close();
  });

  it('survives a restart, and deleting a file removes it from every search', async () => {
    const dbh = h.url ? await openDb({ databaseUrl: h.url, poolMax: 5 }) : borrowed(h);
    const second = await startServer(dbh);
    try {
      const c2 = second.client;
      expect((await c2.folders.retrieve(ids.folder!)).name).toBe('research');
      expect((await c2.agents.files.list(ids.agent!)).files).toHaveLength(2);
      await c2.folders.files.delete(ids.md!, { folder_id: ids.folder! });
      await expect(c2.folders.files.retrieve(ids.md!, { folder_id: ids.folder! })).rejects.toMatchObject({ status: 404 });
      const [grep, sem] = await toolTurn(c2, ids.agent!, [
        { name: 'grep_files', arguments: { pattern: 'zebra|narwhal' } },
        { name: 'semantic_search_files', arguments: { query: 'quokka colony Rottnest Island', limit: 10 } },
      ]);
      expect(grep).toContain('Found 1 total matches across 1 files');
      expect(grep).not.toContain('notes.md');
      expect(sem).not.toContain('notes.md');
      expect(sem).toContain('research/report.pdf');
      expect((await c2.agents.files.list(ids.agent!)).files.map((f) => f.file_name)).toEqual(['research/report.pdf']);
      // Detaching the last folder removes the files and the tools.
      const after = await c2.agents.folders.detach(ids.folder!, { agent_id: ids.agent! });
      expect(after?.tools.map((t) => t.name)).not.toContain('grep_files');
      expect((await c2.agents.files.list(ids.agent!)).files).toEqual([]);
      await c2.folders.delete(ids.folder!);
      await expect(c2.folders.retrieve(ids.folder!)).rejects.toMatchObject({ status: 404 });
    } finally {
      await second.close();
    }
  });
});
