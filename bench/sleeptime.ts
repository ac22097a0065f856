// Sleep-time benchmark: primary turn latency with sleep-time off vs on, against the scripted LLM with a fixed
// delay per model call. The sleep-time companion runs in the background (job queue), so the primary's latency
// should not change. Embedded PGlite by default; `--pg` uses DATABASE_URL (a real Postgres).
// Measured twice: turns back to back (the companion competes with the next turn for the one Node event loop and the
// database) and with a user-like idle gap between turns (the companion works while the primary is idle).
// Usage: npm run bench:sleeptime [-- --turns 20 --delay 40 --gap 1000 --pg --write]
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDb, queryRows, type Db } from '../src/db/client.js';
import { sql } from 'drizzle-orm';
import type { App } from '../src/http/server.js';
import { startScriptedLlm, type RecordedRequest } from '../test/support/scripted-llm.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TURNS = arg('turns', 20);
const DELAY_MS = arg('delay', 40);
const GAP_MS = arg('gap', 1000);
const usePg = process.argv.includes('--pg');

const isCompanion = (r: RecordedRequest) => String(r.body.messages[0]?.content).includes('background memory agent');
const lastRole = (r: RecordedRequest) => (r.body.messages.at(-1) as { role: string }).role;

async function json(app: App, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
}

async function measure(app: App, sleeptime: boolean, gapMs: number): Promise<number[]> {
  const agent = await json(app, 'POST', '/v1/agents/', {
    name: sleeptime ? 'bench-on' : 'bench-off', model: 'openai/gpt-4o-mini', enable_sleeptime: sleeptime,
    memory_blocks: [{ label: 'human', value: 'Facts: none yet' }],
    // The same tools either way (a sleep-time primary gets these by default), so only sleep-time differs.
    include_base_tools: false, tools: ['conversation_search', 'archival_memory_search'],
  });
  const times: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const t0 = performance.now();
    await json(app, 'POST', `/v1/agents/${agent.id}/messages`, { messages: [{ role: 'user', content: `fact number ${i}` }] });
    times.push(performance.now() - t0);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return times;
}

/** Waits until background work (sleep-time jobs and their runs) has drained, so cases do not overlap. */
async function drain(db: Db): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [r] = await queryRows(db, sql`select (select count(*) from jobs where status in ('pending', 'running'))
      + (select count(*) from runs where status in ('created', 'running')) as busy`);
    if (Number((r as { busy: unknown }).busy) === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const runMs = (r: { created_at: string; completed_at?: string | null }) => (r.completed_at ? Date.parse(r.completed_at) - Date.parse(r.created_at) : 0);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const llm = await startScriptedLlm();
  let companionCalls = 0;
  llm.setHandler((r) => {
    if (!isCompanion(r)) return { text: 'Noted.', delayMs: DELAY_MS };
    companionCalls++;
    if (lastRole(r) === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }], delayMs: DELAY_MS };
    return { toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_str: `fact ${companionCalls}` } }], delayMs: DELAY_MS };
  });
  const env = { LOG_LEVEL: 'silent', MNEMO_DATA_DIR: '/nonexistent', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl } as Record<string, string>;
  if (usePg && process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const config = loadConfig(env);
  const dbh = usePg ? undefined : await openDb({});
  const ctx = await createContext(config, { dbh, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.ready();
  try {
    await measure(app, false, 0); // warm-up (JIT, prepared plans)
    const cases: [string, number[]][] = [];
    for (const gap of [0, GAP_MS]) {
      cases.push([`off | ${gap}`, await measure(app, false, gap)]);
      await drain(ctx.dbh.db);
      cases.push([`on | ${gap}`, await measure(app, true, gap)]);
      await drain(ctx.dbh.db);
    }
    const runs = await json(app, 'GET', '/v1/runs/?limit=1000');
    const sleeptimeRuns = runs.filter((r: { metadata?: { run_type?: string } }) => r.metadata?.run_type === 'sleeptime_agent_send_message_async');
    const rows = [
      '| sleep-time | idle gap ms | turns | mean ms | p50 ms | p95 ms |',
      '|---|---|---|---|---|---|',
      ...cases.map(([name, xs]) => `| ${name} | ${TURNS} | ${fmt(mean(xs))} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} |`),
    ];
    const out = `${rows.join('\n')}\n\nDatabase: ${usePg ? 'Postgres' : 'PGlite (embedded)'}; scripted LLM delay ${DELAY_MS} ms per call; ` +
      `companion runs started: ${sleeptimeRuns.length} (completed: ${sleeptimeRuns.filter((r: { status: string }) => r.status === 'completed').length}, ` +
      `mean duration ${fmt(mean(sleeptimeRuns.map(runMs)))} ms).`;
    console.log(out);
    if (process.argv.includes('--write')) writeSection(out);
  } finally {
    await app.close();
    await ctx.close();
    await llm.close();
  }
}

/** Replaces only the "Sleep-time" section of bench/results.md (other sections belong to other benchmarks). */
function writeSection(body: string): void {
  const path = new URL('./results.md', import.meta.url);
  let text = '# Benchmark results\n';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    /* first benchmark to write */
  }
  const section = `## Sleep-time\n\n${body}\n`;
  const re = /## Sleep-time\n[\s\S]*?(?=\n## |$)/;
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
