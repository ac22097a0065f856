// Agent-file import benchmark: a file of N messages (the test factory's garden chat, about 410 bytes a message) is
// parsed and imported through the service the HTTP route calls, on PGlite (in memory) and, when DATABASE_URL is
// set, on a scratch PostgreSQL database `<db>_afbench`. Prints wall time per phase, messages/s and peak RSS.
// Usage: npx tsx bench/agent-file-import.ts [--messages 100000] [--pglite-only]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { DEFAULT_ACTOR } from '../src/actor.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDb, queryRows, type DbHandle } from '../src/db/client.js';
import { parseAgentFileText } from '../src/resources/agent-files/agent-file.parse.js';
import { makeLongAgentFile } from '../test/support/agent-file-factory.js';
import { withScratchPostgres } from './scratch-postgres.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function run(label: string, dbh: DbHandle, text: string, n: number): Promise<void> {
  const config = loadConfig({
    LOG_LEVEL: 'info',
    MNEMO_DATA_DIR: '/nonexistent',
    OPENAI_API_KEY: 'k',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  });
  const ctx = await createContext(config, { dbh, log: pino({ level: 'info' }, pino.destination(2)) });
  try {
    const t0 = performance.now();
    parseAgentFileText(text);
    const parsed = performance.now() - t0;
    peakRss = 0;
    const lag = monitorEventLoopDelay({ resolution: 20 });
    lag.enable();
    const t1 = performance.now();
    const { agent_ids } = await ctx.services.agentFiles.import(DEFAULT_ACTOR, { file: { text }, form: {}, headers: {} });
    const total = performance.now() - t1;
    lag.disable();
    const [row] = await queryRows<{ m: number; c: number }>(
      dbh.db,
      sql`select (select count(*)::int from messages where agent_id = ${agent_ids[0]!}) m,
      (select message_count::int from agents where id = ${agent_ids[0]!}) c`,
    );
    console.log(
      `${label}: ${n.toLocaleString('en-US')} messages in ${(total / 1000).toFixed(1)} s (parse + validate ${(parsed / 1000).toFixed(1)} s), ` +
        `${Math.round(n / (total / 1000)).toLocaleString('en-US')} messages/s, peak RSS ${Math.round(peakRss / 1e6)} MB, ` +
        `longest event-loop stall ${Math.round(lag.max / 1e6)} ms; stored ${row?.m}, message_count ${row?.c}`,
    );
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  const n = arg('messages', 100_000);
  const text = JSON.stringify(makeLongAgentFile(n));
  console.log(`file: ${n.toLocaleString('en-US')} messages, ${(text.length / 1e6).toFixed(1)} MB`);
  await run('PGlite', await openDb({}), text, n);
  const url = process.env.DATABASE_URL;
  if (url && !process.argv.includes('--pglite-only'))
    await withScratchPostgres(url, 'afbench', 10, (h) => run('PostgreSQL', { ...h, close: async () => {} }, text, n));
  clearInterval(sampler);
}

await main();
