// PGlite in this thread against PGlite in a worker thread (src/db/pglite-client.ts), in memory: the round trip of a
// trivial statement, and 20 concurrent callers whose "turn" is a transaction of 2 statements plus a fixed amount of
// main-thread work (JSON, standing in for HTTP and the loop). Interleaved A B A B; medians over the rounds.
// Usage: npm run bench:pglite-worker [-- --rounds 2 --seconds 3 --busy-ms 1 --no-write]
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { openDb, type DbHandle } from '../src/db/client.js';
import { pct } from './footprint-load.js';
import { writeResultsSection } from './results-section.js';

const argv = process.argv;
const arg = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const ROUNDS = arg('rounds', 2);
const SECONDS = arg('seconds', 3);
const BUSY_MS = arg('busy-ms', 1);
const CALLERS = 20;

const payload = { items: Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, text: 'x'.repeat(100), n: i })) };

/** Synchronous main-thread work for about `ms`: what a request spends in JSON and validation. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) JSON.parse(JSON.stringify(payload));
}

async function roundTripUs(h: DbHandle, n = 2_000): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await h.pglite!.query('select $1::int as i', [i]);
  return ((performance.now() - started) * 1000) / n;
}

async function turnsPerSecond(h: DbHandle): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let turns = 0;
  const caller = async (c: number) => {
    while (performance.now() < deadline) {
      await h.db.transaction(async (tx) => {
        await tx.execute(sql`insert into bench_turns (caller, body) values (${c}, ${'reply text'})`);
        await tx.execute(sql`select count(*) from bench_turns where caller = ${c}`);
      });
      busy(BUSY_MS);
      turns++;
    }
  };
  await Promise.all(Array.from({ length: CALLERS }, (_, c) => caller(c)));
  return turns / SECONDS;
}

async function measure(worker: boolean) {
  const h = await openDb({ pgliteWorker: worker });
  try {
    await h.exec('create table bench_turns (id serial primary key, caller int, body text)');
    await roundTripUs(h, 200); // warm-up
    return { rt: await roundTripUs(h), tps: await turnsPerSecond(h) };
  } finally {
    await h.close();
  }
}

async function main() {
  const load = loadavg()[0]!;
  const runs = { thread: [] as { rt: number; tps: number }[], worker: [] as { rt: number; tps: number }[] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.thread.push(await measure(false));
    runs.worker.push(await measure(true));
  }
  const med = (xs: { rt: number; tps: number }[], k: 'rt' | 'tps') =>
    pct(
      xs.map((x) => x[k]),
      0.5,
    ).toFixed(k === 'rt' ? 0 : 1);
  const body = [
    `Measured ${new Date().toISOString().slice(0, 16)}Z, ${ROUNDS} interleaved rounds (medians), load average ${load.toFixed(2)} at the start; ` +
      `${CALLERS} callers, ${BUSY_MS} ms of main-thread work per turn, ${SECONDS} s each.`,
    '',
    '| PGlite | `select $1` round trip, µs | 20 callers: turns/s (tx of 2 statements + main-thread work) |',
    '|---|---|---|',
    `| in the server thread (MNEMO_PGLITE_WORKER=false) | ${med(runs.thread, 'rt')} | ${med(runs.thread, 'tps')} |`,
    `| in a worker thread (default) | ${med(runs.worker, 'rt')} | ${med(runs.worker, 'tps')} |`,
  ].join('\n');
  console.log(body);
  if (!argv.includes('--no-write')) writeResultsSection('PGlite worker thread', body);
}

await main();
