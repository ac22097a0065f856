// Sleep-time benchmark: primary turn latency with sleep-time off vs on, against the scripted LLM with a fixed
// delay per model call. The companion runs in the background (job queue) and yields to primary turns, so the
// primary's latency should not change. Runs on embedded PGlite and, when DATABASE_URL is set, on a scratch
// Postgres database (`<db>_sleeptime_bench`, created and dropped).
// Each idle gap is measured off, on, off again: the two "off" runs give the run-to-run spread the on/off
// difference is judged against. Gap 0 = turns back to back (the companion competes with the next turn for the
// Node event loop and the database); a user-like gap lets the companion work while the primary is idle.
// Usage: npm run bench:sleeptime [-- --turns 30 --delay 40 --gap 1000 --skip-pglite --write]
import { loadavg } from 'node:os';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDb, queryRows, type Db, type DbHandle } from '../src/db/client.js';
import type { App } from '../src/http/app-type.js';
import { startScriptedLlm, type RecordedRequest, type ScriptedLlm } from '../test/support/scripted-llm.js';
import { writeResultsSection } from './results-section.js';
import { withScratchPostgres } from './scratch-postgres.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TURNS = arg('turns', 30);
const DELAY_MS = arg('delay', 40);
const GAP_MS = arg('gap', 1000);

const isCompanion = (r: RecordedRequest) => String(r.body.messages[0]?.content).includes('background memory agent');
const lastRole = (r: RecordedRequest) => (r.body.messages.at(-1) as { role: string }).role;

async function json(app: App, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
}

async function measure(app: App, sleeptime: boolean, gapMs: number): Promise<number[]> {
  const agent = await json(app, 'POST', '/v1/agents/', {
    name: sleeptime ? 'bench-on' : 'bench-off',
    model: 'openai/gpt-4o-mini',
    enable_sleeptime: sleeptime,
    memory_blocks: [{ label: 'human', value: 'Facts: none yet' }],
    // The same tools either way (a sleep-time primary gets these by default), so only sleep-time differs.
    include_base_tools: false,
    tools: ['conversation_search', 'archival_memory_search'],
  });
  const times: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const t0 = performance.now();
    const res = await json(app, 'POST', `/v1/agents/${agent.id}/messages`, { messages: [{ role: 'user', content: `fact number ${i}` }] });
    times.push(performance.now() - t0);
    // A turn that failed fast would pass for a fast turn.
    if (res.stop_reason?.stop_reason !== 'end_turn') throw new Error(`turn ended with ${JSON.stringify(res.stop_reason)}`);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return times;
}

/** Waits until background work (sleep-time jobs and their runs) has drained, so cases do not overlap. */
async function drain(db: Db): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [r] = await queryRows(
      db,
      sql`select (select count(*) from jobs where status in ('pending', 'running'))
      + (select count(*) from runs where status in ('created', 'running')) as busy`,
    );
    if (Number((r as { busy: unknown }).busy) === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const runMs = (r: { created_at: string; completed_at?: string | null }) =>
  r.completed_at ? Date.parse(r.completed_at) - Date.parse(r.created_at) : 0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (n: number) => n.toFixed(1);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

type Case = { name: string; gap: number; xs: number[] };

/** Two-sided Mann–Whitney U test (normal approximation, ties averaged): p-value that a and b differ in location. */
function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const ra = all.reduce((s, x, i) => s + (x.g === 0 ? ranks[i]! : 0), 0);
  const u = ra - (a.length * (a.length + 1)) / 2;
  const mu = (a.length * b.length) / 2;
  const sigma = Math.sqrt((a.length * b.length * (a.length + b.length + 1)) / 12);
  const z = Math.abs(u - mu) / sigma;
  // erfc via Abramowitz–Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
  return erfc;
}

/**
 * "Unchanged" = the on run's turn times are not significantly different from the two off runs pooled (Mann–Whitney
 * p ≥ 0.05), or its p50 is within the off-to-off p50 spread or 5% of the off p50.
 */
function verdict(cases: Case[], gap: number): string {
  const get = (n: string) => cases.find((c) => c.gap === gap && c.name === n)!.xs;
  const [off1, on, off2] = [get('off'), get('on'), get('off again')];
  const offP50 = pct([...off1, ...off2], 50);
  const spread = Math.abs(pct(off1, 50) - pct(off2, 50));
  const diff = pct(on, 50) - offP50;
  const p = mannWhitneyP(on, [...off1, ...off2]);
  const tol = Math.max(spread, 0.05 * offP50);
  const word = p >= 0.05 || Math.abs(diff) <= tol ? 'unchanged (within noise)' : diff > 0 ? 'slower' : 'faster';
  return `gap ${gap} ms: on − off p50 ${diff >= 0 ? '+' : ''}${fmt(diff)} ms, off-to-off p50 spread ${fmt(spread)} ms, Mann–Whitney p = ${p.toFixed(2)} → ${word}`;
}

async function runOn(label: string, dbh: DbHandle, llm: ScriptedLlm): Promise<string> {
  const env = { LOG_LEVEL: 'silent', MNEMO_DATA_DIR: '/nonexistent', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl } as Record<
    string,
    string
  >;
  const ctx = await createContext(loadConfig(env), { dbh, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.ready();
  try {
    await measure(app, false, 0); // warm-up (JIT, prepared plans)
    const cases: Case[] = [];
    for (const gap of [0, GAP_MS]) {
      for (const [name, on] of [
        ['off', false],
        ['on', true],
        ['off again', false],
      ] as const) {
        cases.push({ name, gap, xs: await measure(app, on, gap) });
        await drain(ctx.dbh.db);
      }
    }
    const runs = await json(app, 'GET', '/v1/runs/?limit=1000');
    const st = runs.filter((r: { metadata?: { run_type?: string } }) => r.metadata?.run_type === 'sleeptime_agent_send_message_async');
    const rows = [
      `### ${label}`,
      '',
      '| sleep-time | idle gap ms | turns | mean ms | p50 ms | p95 ms |',
      '|---|---|---|---|---|---|',
      ...cases.map((c) => `| ${c.name} | ${c.gap} | ${TURNS} | ${fmt(mean(c.xs))} | ${fmt(pct(c.xs, 50))} | ${fmt(pct(c.xs, 95))} |`),
      '',
      `Companion runs: ${st.length} (completed ${st.filter((r: { status: string }) => r.status === 'completed').length}, ` +
        `mean duration ${st.length ? fmt(mean(st.map(runMs))) : '–'} ms). ${verdict(cases, 0)}; ${verdict(cases, GAP_MS)}. Load average after: ${load()}.`,
    ];
    return rows.join('\n');
  } finally {
    await app.close();
    await ctx.close();
  }
}

async function main(): Promise<void> {
  const llm = await startScriptedLlm();
  let companionCalls = 0;
  llm.setHandler((r) => {
    if (!isCompanion(r)) return { text: 'Noted.', delayMs: DELAY_MS };
    companionCalls++;
    if (lastRole(r) === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }], delayMs: DELAY_MS };
    return {
      toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: `fact ${companionCalls}` } }],
      delayMs: DELAY_MS,
    };
  });
  const started = load();
  const sections: string[] = [];
  try {
    if (!process.argv.includes('--skip-pglite')) sections.push(await runOn('PGlite (embedded)', await openDb({}), llm));
    const url = process.env.DATABASE_URL;
    if (url)
      sections.push(
        await withScratchPostgres(url, 'sleeptime_bench', 10, (h) => runOn('Postgres 15 (local)', { ...h, close: async () => {} }, llm)),
      );
    else sections.push('Postgres not measured (set DATABASE_URL).');
  } finally {
    await llm.close();
  }
  const note =
    `Scripted LLM delay ${DELAY_MS} ms per call; ${TURNS} turns per case; load average (1/5/15 min) at the start ${started} (2 cores, shared). ` +
    'Each gap runs off, on, off again. "Unchanged" = on is not significantly different from the pooled off turns ' +
    '(two-sided Mann–Whitney, p ≥ 0.05) or its p50 is within the off-to-off p50 spread (or 5%).';
  const out = `${sections.join('\n\n')}\n\n${note}`;
  console.log(out);
  if (process.argv.includes('--write')) writeResultsSection('Sleep-time', out);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
