// Agent loop benchmark: turns/s and per-step server overhead (wall time minus the model call) with the scripted LLM
// answering instantly, for 1 agent sequential and 50 agents in parallel, on PGlite and (DATABASE_URL) Postgres in a
// scratch database; plus SQL statements per turn, counted at the driver.
// Usage: npm run bench [-- --turns 1000 --par-turns 40 --warm-ms 10000 --skip-pglite --pglite-in-thread]
// (--pglite-in-thread: PGlite in this thread, as with MNEMO_PGLITE_WORKER=false, instead of in its worker)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { runTurn } from '../src/agent/run-turn.js';
import type { LoopDeps } from '../src/agent/loop/types.js';
import { openDb, type DbHandle } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { DEFAULT_ORG_ID, newId } from '../src/ids.js';
import { createLlmRegistry } from '../src/llm/registry.js';
import type { Provider } from '../src/llm/types.js';
import { createAgentsService } from '../src/resources/agents/agents.service.js';
import { createModelCatalog } from '../src/resources/models/model-catalog.js';
import { seedBuiltinTools } from '../src/resources/tools/tool-seed.js';
import { writeResultsSection } from './results-section.js';
import { withScratchPostgres } from './scratch-postgres.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
// Each scenario measures several seconds of turns: this shared VM has bursts of a few seconds at half speed, and a
// percentile over the one second that 200 sequential turns took could land inside one.
const SEQ_TURNS = arg('turns', 1000);
const PAR_AGENTS = 50;
const PAR_TURNS = arg('par-turns', 40);
/**
 * Turns before measuring, at least this many in all and 3 per agent: JIT tiers (of this process and the model's),
 * and prepared statements settle in the first ones.
 */
const WARM_TURNS = arg('warm-turns', 100);
/**
 * ...and for at least this long: a server runs for hours, and V8 keeps optimizing the loop's code (and the model
 * process's) for seconds; a scenario measured first after 100 turns read ~2x its steady overhead, after 3 s ~1.5x.
 */
const WARM_MS = arg('warm-ms', 10_000);
const actor = { orgId: DEFAULT_ORG_ID } as never;

/** Statement counter at the driver: every pg client query, every PGlite query (BEGIN/COMMIT included). */
const counter = { n: 0 };
function countPg(): void {
  const orig = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
    counter.n++;
    return (orig as (...x: unknown[]) => unknown).apply(this, a);
  } as typeof orig;
}
function countPglite(h: DbHandle): void {
  const c = h.pglite!;
  for (const m of ['query', 'exec'] as const) {
    const orig = c[m].bind(c) as (...x: unknown[]) => unknown;
    (c as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
      counter.n++;
      return orig(...a);
    };
  }
  const tx = c.transaction.bind(c);
  c.transaction = ((fn: (t: { query: (...x: unknown[]) => unknown }) => unknown) =>
    tx(async (t) => {
      counter.n += 2;
      const q = t.query.bind(t) as (...x: unknown[]) => unknown;
      (t as unknown as Record<string, unknown>).query = (...a: unknown[]) => {
        counter.n++;
        return q(...a);
      };
      return fn(t as never);
    })) as typeof c.transaction;
}

/** Model time per turn, measured as the provider call duration (a per-turn wrapper: no AsyncLocalStorage, whose
 * promise hooks would slow every await of the code being measured). */
function timedProvider(p: Provider, store: { ms: number }): Provider {
  return new Proxy(p, {
    get(t, k) {
      if (k !== 'chat') return Reflect.get(t, k);
      return async (req: Parameters<Provider['chat']>[0]) => {
        const t0 = performance.now();
        try {
          return await t.chat(req);
        } finally {
          store.ms += performance.now() - t0;
        }
      };
    },
  });
}

/** The loop's dependencies for one turn, with that turn's model-time counter. */
function turnDeps(deps: LoopDeps, store: { ms: number }): LoopDeps {
  return {
    ...deps,
    registry: {
      resolve: (handle) => {
        const m = deps.registry.resolve(handle);
        return { ...m, provider: timedProvider(m.provider, store) };
      },
    },
  };
}

/** CPU time (ms) of every local `postgres` process, from /proc; null when not readable (remote server, not Linux). */
function localPostgresCpuMs(): number | null {
  try {
    let ms = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ 100)
      } catch {
        /* the process ended meanwhile */
      }
    }
    return ms;
  } catch {
    return null;
  }
}

/** CPU time (ms) of one process (the scripted model), from /proc; 0 when not readable. */
function processCpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * Keeps the in-context window bounded (compaction's job in production), outside the measured time and count: every
 * fourth turn of an agent cuts it back to the system message, so a window holds at most 17 messages. (Trimming after
 * every turn cost a statement per turn, counted in the CPU columns and taking CPU from the turns in parallel runs.)
 */
const turnsSinceTrim = new Map<string, number>();
async function trimContext(deps: LoopDeps, agentId: string): Promise<void> {
  const n = (turnsSinceTrim.get(agentId) ?? 0) + 1;
  turnsSinceTrim.set(agentId, n % 4);
  if (n < 4) return;
  await deps.db.execute(sql`update agents set message_ids = message_ids[1:1] where id = ${agentId}`);
  counter.n -= 1;
}

type Sample = { wallMs: number; overheadMs: number; steps: number };

async function oneTurn(deps: LoopDeps, agentId: string, text: string): Promise<Sample> {
  const store = { ms: 0 };
  const t0 = performance.now();
  // As the JSON messages route does it: the turn stores its run (newRun) before claiming the thread.
  const r = await runTurn(turnDeps(deps, store), {
    actor,
    agentId,
    runId: newId('run'),
    newRun: { orgId: DEFAULT_ORG_ID, agentId, metadata: { run_type: 'send_message' } },
    input: [{ role: 'user', content: text }],
  });
  if (r.stopReason !== 'end_turn') throw new Error(`turn ended with ${r.stopReason}: ${r.error ?? ''}`);
  const wallMs = performance.now() - t0;
  await trimContext(deps, agentId);
  return { wallMs, overheadMs: (wallMs - store.ms) / r.usage.stepCount, steps: r.usage.stepCount };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

type Row = {
  db: string;
  scenario: string;
  turns: number;
  turnsPerS: number;
  stepsPerS: number;
  p50: number;
  p99: number;
  sqlPerStep: number;
  cpuPerStep: number;
  dbCpuPerStep: number | null;
  llmCpuPerStep: number;
};

function summarize(
  db: string,
  scenario: string,
  samples: Sample[],
  elapsedMs: number,
  statements: number,
  cpuMs: number,
  dbCpuMs: number | null,
  llmCpuMs: number,
): Row {
  const steps = samples.reduce((n, s) => n + s.steps, 0);
  const over = samples.map((s) => s.overheadMs);
  return {
    db,
    scenario,
    turns: samples.length,
    turnsPerS: samples.length / (elapsedMs / 1000),
    stepsPerS: steps / (elapsedMs / 1000),
    p50: pct(over, 0.5),
    p99: pct(over, 0.99),
    sqlPerStep: statements / steps,
    cpuPerStep: cpuMs / steps,
    dbCpuPerStep: dbCpuMs === null ? null : dbCpuMs / steps,
    llmCpuPerStep: llmCpuMs / steps,
  };
}

async function measure(
  db: string,
  h: DbHandle,
  deps: LoopDeps,
  llm: LlmProcess,
  scenario: string,
  agentIds: string[],
  turnsEach: number,
  text: string,
): Promise<Row> {
  const warm = Math.max(3, Math.ceil(WARM_TURNS / agentIds.length));
  const warmStart = performance.now();
  for (let i = 0; i < warm || performance.now() - warmStart < WARM_MS; i++)
    await Promise.all(agentIds.map((id) => oneTurn(deps, id, `${text} warm-up ${i}`)));
  counter.n = 0;
  const cpu0 = process.cpuUsage();
  const db0 = h.kind === 'postgres' ? localPostgresCpuMs() : null;
  const llm0 = processCpuMs(llm.pid);
  const t0 = performance.now();
  const perAgent = await Promise.all(
    agentIds.map(async (id) => {
      const out: Sample[] = [];
      for (let i = 0; i < turnsEach; i++) out.push(await oneTurn(deps, id, `${text} ${i}`));
      return out;
    }),
  );
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const dbCpu = db0 === null ? null : (localPostgresCpuMs() ?? NaN) - db0;
  return summarize(db, scenario, perAgent.flat(), elapsed, counter.n, (cpu.user + cpu.system) / 1000, dbCpu, processCpuMs(llm.pid) - llm0);
}

const TOOL_TEXT = 'please note';

type LlmProcess = { openaiBaseUrl: string; pid: number; close(): Promise<void> };
/** Starts bench/loop-llm-server.ts in its own process and reads its base URL. */
async function startLlmProcess(): Promise<LlmProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./loop-llm-server.ts', import.meta.url).pathname, TOOL_TEXT], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`scripted LLM process exited with ${code}`)));
  });
  const { openaiBaseUrl, pid } = JSON.parse(first) as { openaiBaseUrl: string; pid: number };
  return {
    openaiBaseUrl,
    pid,
    close: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.stdin!.end();
      }),
  };
}

async function createAgents(h: DbHandle, registry: ReturnType<typeof createLlmRegistry>, n: number): Promise<string[]> {
  const agents = createAgentsService({
    db: h.db,
    models: createModelCatalog(registry),
    defaultModel: undefined,
    defaultEmbedding: undefined,
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = await agents.create(actor, {
      name: `bench-${i}`,
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
      tools: ['memory_rethink'],
      memory_blocks: [
        { label: 'human', value: 'Name: bench user' },
        { label: 'persona', value: 'A terse agent.' },
        { label: 'scratch', value: 'empty' },
      ],
    } as never);
    ids.push(a.id);
  }
  return ids;
}

/** The machine's state while measuring: a trivial round trip, to tell our overhead from a starved database. */
const baselines: string[] = [];
async function roundTrip(label: string, h: DbHandle): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await h.db.execute(sql`select 1`);
    xs.push(performance.now() - t0);
  }
  baselines.push(`${label} \`select 1\` round trip p50 ${pct(xs, 0.5).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms`);
}

async function runOn(label: string, h: DbHandle, llm: LlmProcess, relaxedCommits: boolean): Promise<Row[]> {
  await runMigrations(h);
  await roundTrip(label, h);
  await seedBuiltinTools(h.db, DEFAULT_ORG_ID);
  const registry = createLlmRegistry({ openai: { apiKey: 'k', baseUrl: llm.openaiBaseUrl } } as never);
  const deps: LoopDeps = { db: h.db, registry, lockPollMs: 5, relaxedCommits };
  const ids = await createAgents(h, registry, PAR_AGENTS);
  if (h.kind === 'pglite') countPglite(h);
  const rows: Row[] = [];
  rows.push(await measure(label, h, deps, llm, '1 agent, sequential, text reply (1 step)', ids.slice(0, 1), SEQ_TURNS, 'hello'));
  rows.push(
    await measure(label, h, deps, llm, '1 agent, sequential, memory edit + reply (2 steps)', ids.slice(0, 1), SEQ_TURNS / 2, TOOL_TEXT),
  );
  rows.push(await measure(label, h, deps, llm, `${PAR_AGENTS} agents, parallel, text reply`, ids, PAR_TURNS, 'hello'));
  rows.push(await measure(label, h, deps, llm, `${PAR_AGENTS} agents, parallel, memory edit + reply`, ids, PAR_TURNS / 2, TOOL_TEXT));
  return rows;
}

function table(rows: Row[]): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  const head =
    '| database | scenario | turns | turns/s | steps/s | overhead p50 ms/step | overhead p99 ms/step | SQL statements/step | server CPU ms/step | database CPU ms/step | model process CPU ms/step |\n|---|---|---|---|---|---|---|---|---|---|---|';
  return [
    head,
    ...rows.map(
      (r) =>
        `| ${r.db} | ${r.scenario} | ${r.turns} | ${f(r.turnsPerS)} | ${f(r.stepsPerS)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.sqlPerStep)} | ${f(r.cpuPerStep, 2)} | ${r.dbCpuPerStep === null ? 'in process' : f(r.dbCpuPerStep, 2)} | ${f(r.llmCpuPerStep, 2)} |`,
    ),
  ].join('\n');
}

/** Every scenario of `db` must meet its target: both sequential ones p50 and p99, both parallel ones steps/s. */
function verdictFor(rows: Row[], db: string): string {
  const seq = rows.filter((r) => r.db === db && r.scenario.startsWith('1 agent'));
  const par = rows.filter((r) => r.db === db && r.scenario.startsWith(`${PAR_AGENTS} agents`));
  if (seq.length === 0 || par.length === 0) return `${db} not measured (set DATABASE_URL).`;
  const p50 = Math.max(...seq.map((r) => r.p50));
  const p99 = Math.max(...seq.map((r) => r.p99));
  const slowest = Math.min(...par.map((r) => r.stepsPerS));
  const ok = p50 <= 5 && p99 <= 20 && slowest >= 300;
  return (
    `${db}: targets ${ok ? 'met' : 'NOT met'} in this run (worst sequential p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
    `slowest parallel ${slowest.toFixed(0)} steps/s).`
  );
}

function verdict(rows: Row[]): string {
  return (
    `${verdictFor(rows, 'Postgres')} ${verdictFor(rows, 'Postgres, strict commits')} A plain 1-step turn is 2 statements, ` +
    `each a named prepared statement of the turn store (src/agent/turn-store/): the lock claim (new run, lease, run marked ` +
    `running, its cancel flag; and, when no other holder's lease was in its snapshot, the state load and the input write), ` +
    `and the step write (step, messages, context ids, blocks CAS, system message; for a reply without tool calls the ` +
    `post-model cancel check; on the last step the run's finish and the lease release). A step with tool calls adds the ` +
    `cancel check before its tools run; streamed and ` +
    `background turns keep a separate finish statement. "Postgres" runs as the server does (src/context.ts): the turn's ` +
    `intermediate writes commit without waiting for the WAL flush, its last write commits synchronously and so flushes them ` +
    `all before the turn returns. "Strict commits" (MNEMO_STRICT_COMMITS=1) waits for the flush at every statement.`
  );
}

/** How DATABASE_URL reaches the server: a Unix socket (`?host=/dir`, as scripts/postgres.sh prints it) or TCP. */
function postgresTransport(url: string): string {
  const u = new URL(url);
  const dir = u.searchParams.get('host');
  return dir?.startsWith('/') ? `its Unix socket (${dir})` : `TCP (${u.host})`;
}

async function main(): Promise<void> {
  const llm = await startLlmProcess();
  const rows: Row[] = [];
  try {
    if (!process.argv.includes('--skip-pglite')) {
      const lite = await openDb({ pgliteWorker: !process.argv.includes('--pglite-in-thread') });
      try {
        rows.push(...(await runOn('PGlite', lite, llm, false)));
      } finally {
        await lite.close();
      }
    }
    const url = process.env.DATABASE_URL;
    if (url) {
      countPg();
      // As the server runs: one WAL flush per turn (src/context.ts); then MNEMO_STRICT_COMMITS=1, a flush per statement.
      rows.push(...(await withScratchPostgres(url, 'bench_loop', 20, (h) => runOn('Postgres', h, llm, true))));
      rows.push(...(await withScratchPostgres(url, 'bench_loop', 20, (h) => runOn('Postgres, strict commits', h, llm, false))));
    }
  } finally {
    await llm.close();
  }
  const os = await import('node:os');
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  const out = table(rows);
  console.log(out);
  const note =
    `Overhead = turn wall time (run creation + lock + load + persist + finish) minus the provider call, divided by the turn's steps. ` +
    `Scripted model on 127.0.0.1 in its own process (bench/loop-llm-server.ts), answering instantly; its CPU is the last column, taken from the same 2 cores; ${WARM_TURNS} warm-up turns (at least 3 per agent) and at least ${WARM_MS / 1000} s of them before each scenario; SQL statements counted at the driver (BEGIN/COMMIT included), run creation included; server CPU = this Node process's CPU time (user + system) per step (PGlite runs inside it); database CPU = every local postgres process's CPU time per step, from /proc (background writers included). ` +
    (process.env.DATABASE_URL ? `Postgres reached through ${postgresTransport(process.env.DATABASE_URL)}. ` : '') +
    `Machine: ${process.platform}, ${os.cpus().length} cores shared with other work, load average ${load} (1/5/15 min) at the end; ${baselines.join('; ')}. Targets (Postgres): p50 ≤ 5 ms, p99 ≤ 20 ms per step, ≥ 300 steps/s across 50 agents.`;
  writeResultsSection('Agent loop', `${out}\n\n${note}\n\n${verdict(rows)}`);
}

await main();
