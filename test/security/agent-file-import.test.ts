// Safe by default: big and hostile agent files. Thousands of messages import in batches inside one transaction with
// progress in the log; a file the database refuses fails with a short detail naming the message (never SQL) and
// stores nothing; odd or hostile shapes are 4xx, never 500. 100,000 messages: bench/agent-file-import.ts.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { App } from '../../src/http/app-type.js';
import { makeAgentFile, makeLongAgentFile, normalizeAgentFile } from '../support/agent-file-factory.js';
import { call, TEST_ENV } from '../support/http.js';
import { createTestDb } from '../support/test-db.js';

const BODY_LIMIT = 16 * 1024 * 1024;
const logLines: { msg: string; done?: number; total?: number }[] = [];
let app: App;
let ctx: AppContext;
let url = '';

beforeAll(async () => {
  const dbh = await createTestDb();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    MNEMO_DATA_DIR: '/nonexistent',
    MNEMO_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    ...TEST_ENV,
  });
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  ctx = await createContext(config, { dbh, log });
  app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

async function importFile(content: unknown, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append(
    'file',
    new Blob([typeof content === 'string' ? content : JSON.stringify(content)], { type: 'application/json' }),
    'agent.af',
  );
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${url}/v1/agents/import`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function importRawJson(text: string) {
  const res = await fetch(`${url}/v1/agents/import`, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as any };
}

const exportFile = async (agentId: string) => JSON.parse(await (await fetch(`${url}/v1/agents/${agentId}/export`)).text());

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.dbh.db.execute(q)) as unknown as { rows: T[] }).rows;
}

const counts = async () =>
  (
    await rows<Record<string, number>>(sql`select (select count(*)::int from agents) a, (select count(*)::int from blocks) b,
    (select count(*)::int from tools) t, (select count(*)::int from messages) m, (select count(*)::int from groups) g`)
  )[0];

/** A detail a person can read: short, and none of the SQL or parameters a database error carries. */
function expectCleanDetail(detail: unknown): void {
  expect(typeof detail).toBe('string');
  expect((detail as string).length).toBeLessThan(2_000);
  expect(detail).not.toMatch(/insert into|failed query|params:|select .* from/i);
}

describe('big agent files', () => {
  it('imports 10,000 messages: all stored in file order, counted, with progress lines; export round-trips', async () => {
    const file = makeLongAgentFile(10_000, { inContext: 20 }) as any;
    const res = await importFile(file);
    expect(res.status).toBe(200);
    const agentId = res.body.agent_ids[0];
    const stored = await rows<{ role: string; text: string }>(
      sql`select role, text from messages where agent_id = ${agentId} order by seq`,
    );
    expect(stored).toHaveLength(10_000);
    expect(stored.map((r) => r.role)).toEqual(file.agents[0].messages.map((m: any) => m.role));
    expect(stored[9_999]!.text).toBe(file.agents[0].messages[9_999].content[0].text);
    const [agentRow] = await rows<{ message_count: number }>(sql`select message_count::int from agents where id = ${agentId}`);
    expect(agentRow!.message_count).toBe(10_000);
    expect((await call(app, 'GET', `/v1/agents/${agentId}/context`)).body.num_recall_memory).toBe(10_000);
    const agent = (await call(app, 'GET', `/v1/agents/${agentId}`)).body;
    expect(agent.message_ids).toHaveLength(21);
    const window = await rows<{ id: string; role: string }>(sql`select id, role from messages where id = ${agent.message_ids[0]}`);
    expect(window[0]!.role).toBe('system');

    const progress = logLines.filter((l) => l.msg?.startsWith('agent import:'));
    expect(progress.at(-1)?.msg).toBe('agent import: 10,000 / 10,000 messages');
    expect(progress.every((l) => /^agent import: [\d,]+ \/ 10,000 messages$/.test(l.msg))).toBe(true);

    const exported1 = await exportFile(agentId);
    expect(exported1.agents[0].messages.length).toBeGreaterThanOrEqual(50);
    const again = await importFile(exported1, { append_copy_suffix: 'false' });
    expect(again.status).toBe(200);
    const exported2 = await exportFile(again.body.agent_ids[0]);
    expect(normalizeAgentFile(exported2)).toEqual(normalizeAgentFile(exported1));
  }, 300_000);

  it('a message the database refuses (#4,312 of 5,000): 400 naming it, no SQL, nothing stored', async () => {
    const before = await counts();
    const file = makeLongAgentFile(5_000) as any;
    // A year PostgreSQL's timestamps cannot hold (JavaScript's dates can).
    file.agents[0].messages[4_311].created_at = '-100000-01-01T00:00:00.000Z';
    const res = await importFile(file);
    expect(res.status).toBe(400);
    expectCleanDetail(res.body.detail);
    expect(res.body.detail).toContain('message #4,312 (id "message-4311") of agent "agent-0"');
    expect(await counts()).toEqual(before);
  }, 300_000);
});

describe('hostile agent files', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const withDeepContent = (depth: number) => {
    const text = JSON.stringify(makeAgentFile());
    return text.replace(
      '"content":[{"type":"text","text":"Hi, I am Ada. Can you welcome me?"}]',
      `"content":[{"type":"text","text":"hi","deep":${deep(depth)}}]`,
    );
  };

  it('nesting deeper than the limit is a 400 naming it, by upload or raw JSON body, however deep', async () => {
    const before = await counts();
    for (const depth of [150, 200_000]) {
      const text = withDeepContent(depth);
      expect(text).toContain(deep(depth));
      for (const res of [await importFile(text), await importRawJson(text)]) {
        expect(res.status).toBe(400);
        expectCleanDetail(res.body.detail);
        expect(res.body.detail).toMatch(/nests deeper than 64 levels/);
      }
    }
    expect(await counts()).toEqual(before);
    expect((await importFile(withDeepContent(40))).status).toBe(200);
  });

  it('wrong types are 4xx with a short detail, or ignored where the field is optional; never a 500', async () => {
    const cases: [string, (f: any) => void][] = [
      ['message content a number', (f) => (f.agents[0].messages[1].content = 5)],
      ['messages an object', (f) => (f.agents[0].messages = { a: 1 })],
      ['agent id a number', (f) => (f.agents[0].id = 7)],
      ['timezone an object', (f) => (f.agents[0].timezone = { toString: 'x' })],
      ['hidden a string', (f) => (f.agents[0].hidden = 'yes')],
      ['max_files_open a string', (f) => (f.agents[0].max_files_open = 'many')],
      ['tool call name an object', (f) => (f.agents[0].messages[2].tool_calls[0].function = { name: { toString: 1 }, arguments: {} })],
      [
        'group manager type an object',
        (f) => (f.groups = [{ id: 'group-0', agent_ids: ['agent-0'], manager_config: { manager_type: { toString: 1 } } }]),
      ],
      [
        'huge unknown block reference',
        (f) => f.agents[0].block_ids.push(...Array.from({ length: 2_000 }, (_, i) => `missing-${i}-${'x'.repeat(500)}`)),
      ],
      ['huge agent_type', (f) => (f.agents[0].agent_type = 'y'.repeat(100_000))],
    ];
    for (const [name, spoil] of cases) {
      const file = makeAgentFile();
      spoil(file);
      const res = await importFile(file);
      expect([200, 400, 413, 422], name).toContain(res.status);
      if (res.status !== 200) expectCleanDetail(res.body.detail);
    }
  });

  it('a file over the body limit is refused with 413 before anything is parsed', async () => {
    const file = makeAgentFile() as any;
    file.blocks[0].value = 'x'.repeat(BODY_LIMIT + 1024);
    const res = await importFile(file);
    expect(res.status).toBe(413);
    expectCleanDetail(res.body.detail);
  });
});
