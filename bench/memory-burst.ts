// Memory under a burst of agents: creates N agents (default 10,000) and gives each one turn against the scripted LLM,
// then reports the process's RSS idle before the burst, at its peak, and after the burst with a full GC, plus the
// sizes of the process-wide caches. PGlite in a temporary data directory by default, as the server runs it (its
// WebAssembly heap is part of the RSS and never shrinks); DATABASE_URL=postgres://… uses a scratch database instead.
// Usage: npm run bench:memory [-- --agents 10000 --parallel 8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchApp } from './bench-app.js';
import { openDb } from '../src/db/client.js';
import { withScratchPostgres } from './scratch-postgres.js';
import type { DbHandle } from '../src/db/client.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const AGENTS = arg('agents', 10_000);
const PARALLEL = arg('parallel', 8);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 200));
  }
  return process.memoryUsage().rss;
}

async function burst(dbh: DbHandle): Promise<void> {
  const t = await startBenchApp({}, dbh);
  t.llm.setHandler(() => ({ text: 'hello back' }));
  const inject = async (url: string, payload: unknown) => {
    const res = await t.app.inject({ method: 'POST', url, payload: payload as never });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return JSON.parse(res.body) as { id: string };
  };
  // One agent and turn first, so compiled code and the database's warm state are part of "idle".
  const first = await inject('/v1/agents/', { name: 'warm', model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
  await inject(`/v1/agents/${first.id}/messages`, { input: 'hi' });
  const idle = await settledRss();
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < AGENTS; i = next++) {
      const a = await inject('/v1/agents/', {
        name: `burst-${i}`,
        model: 'openai/gpt-4o-mini',
        embedding: 'openai/text-embedding-3-small',
      });
      await inject(`/v1/agents/${a.id}/messages`, { input: `hello ${i}` });
      if ((i + 1) % 1000 === 0)
        console.log(`  ${i + 1} agents, rss ${mb(process.memoryUsage().rss)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const after = await settledRss();
  const heap = process.memoryUsage();
  console.log(`agents ${AGENTS} (parallel ${PARALLEL}) on ${dbh.kind} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(
    `rss idle-before ${mb(idle)}, peak ${mb(peak)}, after (gc) ${mb(after)}; heap used ${mb(heap.heapUsed)}, array buffers ${mb(heap.arrayBuffers)}`,
  );
  console.log('caches', JSON.stringify(t.ctx.cacheSizes()));
  await t.close();
}

const url = process.env.DATABASE_URL;
if (url) await withScratchPostgres(url, 'memory_burst', 20, (h) => burst(h));
else {
  const dir = mkdtempSync(join(tmpdir(), 'mnemo-memory-burst-'));
  try {
    await burst(await openDb({ dataDir: dir }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
