// Footprint benchmark of the embedded default: the compiled server (`node dist/main.js`, built if stale) on a scratch
// data folder, the model a scripted OpenAI-compatible server in its own process. Measures cold starts (empty folder,
// existing data), peak memory of a first start, idle and loaded resident memory of the server's process tree,
// parallel and sequential turns, archival inserts and hybrid search; writes them beside the goals of issue 24.
// Usage: npm run bench:footprint [-- --rounds 3 --rows 10000 --root /path/to/other/checkout --idle-only --no-write]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  apiFor,
  createAgent,
  growWindow,
  insertPassages,
  parallelTurnsPerSecond,
  pct,
  searchP50,
  sequentialTurns,
  turn,
} from './footprint-load.js';
import { type ModelServer, peakRssMb, spawnServer, type StartupPhase, startModelServer, treeRssMb, waitHealthy } from './footprint-proc.js';
import { writeResultsSection } from './results-section.js';

const argv = process.argv;
const arg = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const ROUNDS = arg('rounds', 3);
const ROWS = arg('rows', 10_000);
const ROOT = argv.includes('--root') ? argv[argv.indexOf('--root') + 1]! : fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Start = { healthMs: number; turnMs: number; peakMb: number; phases?: StartupPhase[] };

/** The sequential turns run with a short in-context window (reset every 4 turns, as bench/loop.ts trims it), then
 * once more with a long one: each turn loads, counts and sends its whole window, so its cost grows with it. */
const RESET_EVERY = 4;
const LONG_WINDOW = 1000;
const NO_TURNS = { p50: NaN, turns: 0, serverCpuMs: NaN, modelCpuMs: NaN, held: 0 };

/** spawn → healthy → first answered turn (creating the agent when none is given); the server is left running. */
async function coldStart(dir: string, model: ModelServer, agentId?: string, env: Record<string, string> = {}) {
  const s = await spawnServer(dir, model.openaiBaseUrl, env, ROOT);
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeRssMb(s.proc.pid!));
  };
  await waitHealthy(s, sample);
  const healthMs = performance.now() - s.spawnedAt;
  const api = apiFor(s.base);
  const id = agentId ?? (await createAgent(api, 'first'));
  await turn(api, id);
  const peakMb = Math.max(peak, peakRssMb(s.proc.pid!));
  const start: Start = { healthMs, turnMs: performance.now() - s.spawnedAt, peakMb, phases: s.phases() };
  return { s, api, id, start };
}

async function coldStarts(model: ModelServer) {
  const empty: Start[] = [];
  const existing: Start[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'mnemo-footprint-'));
    try {
      // At info, for the server's own 'started in' line (its phases); the steady state below runs at warn.
      const first = await coldStart(dir, model, undefined, { LOG_LEVEL: 'info' });
      await first.s.stop();
      empty.push(first.start);
      const again = await coldStart(dir, model, first.id, { LOG_LEVEL: 'info' });
      await again.s.stop();
      existing.push(again.start);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { empty, existing };
}

async function steadyState(model: ModelServer) {
  const dir = mkdtempSync(join(tmpdir(), 'mnemo-footprint-'));
  // Measured after a restart on existing data: the state a server spends its life in (a first start leaves the
  // unpacked database's buffers to the garbage collector).
  const first = await coldStart(dir, model);
  await first.s.stop();
  const { s, api, id } = await coldStart(dir, model, first.id);
  try {
    const pid = s.proc.pid!;
    await sleep(5_000);
    const idle: number[] = [];
    for (let i = 0; i < 5; i++, await sleep(500)) idle.push(treeRssMb(pid));
    if (argv.includes('--idle-only'))
      return {
        idleMb: pct(idle, 0.5),
        loadedMb: NaN,
        seq: NO_TURNS,
        long: NO_TURNS,
        parTps: NaN,
        ins: { inserted: 0, rowsPerSecond: NaN },
        searchMs: NaN,
      };
    const pids = { serverPid: pid, modelPid: model.pid };
    const seq = await sequentialTurns(api, id, { warm: 100, n: 500, limitMs: 20_000, resetEvery: RESET_EVERY, ...pids });
    const held = await growWindow(api, id, LONG_WINDOW, 180_000);
    const long = { ...(await sequentialTurns(api, id, { warm: 0, n: 50, limitMs: 20_000, ...pids })), held };
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => createAgent(api, `par-${i}`)));
    let loaded = 0;
    const parTps = await parallelTurnsPerSecond(api, agents, 3_000, 10_000, () => {
      loaded = Math.max(loaded, treeRssMb(pid));
    });
    const archive = await api<{ id: string }>('POST', '/v1/archives/', { name: 'bench', embedding: 'openai/text-embedding-3-small' });
    await api('PATCH', `/v1/agents/${id}/archives/attach/${archive.id}`);
    const ins = await insertPassages(api, archive.id, ROWS, 500, 240_000);
    loaded = Math.max(loaded, treeRssMb(pid));
    const searchMs = await searchP50(api, id, 20, 100);
    return { idleMb: pct(idle, 0.5), loadedMb: Math.max(loaded, treeRssMb(pid)), seq, long, parTps, ins, searchMs };
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const med = (xs: Start[], k: 'healthMs' | 'turnMs' | 'peakMb') =>
  pct(
    xs.map((x) => x[k]),
    0.5,
  );
/** `node 310, modules 420, …; RSS after …` (medians over the rounds), or a dash for a server without the line. */
function phaseMedians(xs: Start[]): string {
  const names = xs.find((x) => x.phases)?.phases?.map((p) => p.phase) ?? [];
  const medianOf = (name: string) =>
    pct(
      xs.map((x) => x.phases?.find((p) => p.phase === name)?.ms ?? NaN).filter((n) => !Number.isNaN(n)),
      0.5,
    );
  const rss = (name: string) =>
    pct(
      xs.map((x) => x.phases?.find((p) => p.phase === name)?.rssMb ?? NaN),
      0.5,
    );
  const memory = `; RSS after node ${rss('node')} MB, after modules ${rss('modules')} MB, after database ${rss('database')} MB, listening ${rss('listen')} MB`;
  return names.length ? names.map((n) => `${n} ${Math.round(medianOf(n))}`).join(', ') + memory : '—';
}
const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const load = loadavg()[0]!;
  const model = await startModelServer();
  try {
    const cold = await coldStarts(model);
    const st = await steadyState(model);
    const rows = [
      [
        'spawn → first answered turn, existing data',
        `${f(med(cold.existing, 'turnMs') / 1000, 2)} s (healthy at ${f(med(cold.existing, 'healthMs') / 1000, 2)} s)`,
        '≤ 1.0 s',
      ],
      [
        'first start, empty folder (spawn → agent created and answered)',
        `${f(med(cold.empty, 'turnMs') / 1000, 2)} s (healthy at ${f(med(cold.empty, 'healthMs') / 1000, 2)} s)`,
        '≤ 3 s',
      ],
      ["start-up phases, existing data (server's own clock, median ms)", phaseMedians(cold.existing), '—'],
      ['start-up phases, empty folder (median ms)', phaseMedians(cold.empty), '—'],
      ['peak RSS during the first start', `${f(med(cold.empty, 'peakMb'))} MB`, '—'],
      ['RSS at idle, whole process tree (restarted on its data, 5 s after the first turn)', `${f(st.idleMb)} MB`, '≤ 150 MB'],
      ['RSS loaded (peak during the parallel turns and the inserts)', `${f(st.loadedMb)} MB`, '—'],
      ['20 agents in parallel, turns/s', f(st.parTps), '≥ 250'],
      [
        `sequential turn over HTTP, p50 (instant model; ≤ ${2 * RESET_EVERY + 1} messages in context)`,
        `${f(st.seq.p50, 1)} ms (CPU a turn: server ${f(st.seq.serverCpuMs, 1)} ms, model ${f(st.seq.modelCpuMs, 1)} ms)`,
        '≤ 8 ms',
      ],
      [
        `the same with ${f(st.long.held)}+ messages in context (window never reset)`,
        `${f(st.long.p50, 1)} ms (CPU a turn: server ${f(st.long.serverCpuMs, 1)} ms, model ${f(st.long.modelCpuMs, 1)} ms)`,
        '—',
      ],
      [
        `hybrid archival search, ${f(st.ins.inserted)} × 1536, p50 over HTTP (embedding the query included)`,
        `${f(st.searchMs, 1)} ms`,
        '≤ 15 ms',
      ],
      ['archival inserts over HTTP (batches of 500, embeddings included)', `${f(st.ins.rowsPerSecond)} rows/s`, '≥ 1,000 rows/s'],
    ];
    const table = ['| figure (embedded, compiled build) | measured | goal |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)];
    const head = `Measured ${new Date().toISOString().slice(0, 16)}Z, ${ROUNDS} cold-start rounds (medians), load average ${f(load, 2)} at the start.`;
    const body = [head, '', ...table].join('\n');
    console.log(body);
    if (!argv.includes('--no-write')) writeResultsSection('Footprint (embedded)', body);
  } finally {
    model.close();
  }
}

await main();
