// Search benchmark: insert throughput, vector search latency p50/p99 and recall@10 against an exact scan.
// Postgres (DATABASE_URL, a scratch database `<db>_bench` is created and dropped) at 100k×768, PGlite at 10k×768.
// Searches go through `searchPassages` (what REST and the agent's tool call), with an embedder that returns the
// query vector, so embedding time is excluded and everything else (scope lookup, size probe, SQL) is measured.
// Usage: npm run bench:search [-- --pg-rows 100000 --pglite-rows 10000 --queries 200 --write]
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDb, type DbHandle } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { indexName, queryVector, vectorExpr } from '../src/db/vector-index.js';
import { DEFAULT_ORG_ID, newId } from '../src/ids.js';
import type { EmbeddingClient } from '../src/llm/embeddings.js';
import { buildHybridStatement, hybridSearch } from '../src/memory/hybrid-search.js';
import { insertPassageRows, writePassageRows } from '../src/memory/passage-insert.js';
import { searchPassages, type PassageQuery } from '../src/memory/passage-search.js';
import { writeResultsSection } from './results-section.js';
import { withScratchPostgres } from './scratch-postgres.js';

const DIM = 768;
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

// Deterministic clustered vectors (a mixture of gaussians), closer to real embeddings than uniform noise.
let seed = 42;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const centers = Array.from({ length: 200 }, () => Array.from({ length: DIM }, gauss));
/** A unit vector near `center`, with 8 significant digits as an embedding API's JSON carries them. */
function sample(center: number[], noise: number): number[] {
  const v = center.map((c) => c + noise * gauss());
  const n = Math.hypot(...v);
  return v.map((x) => Number((x / n).toPrecision(8)));
}

async function setupArchives(db: DbHandle['db']) {
  const big = newId('archive');
  const small = newId('archive');
  const agent = newId('agent');
  await db.execute(
    sql`insert into archives (id, organization_id, name) values (${big}, ${DEFAULT_ORG_ID}, 'big'), (${small}, ${DEFAULT_ORG_ID}, 'small')`,
  );
  await db.execute(
    sql`insert into agents (id, organization_id, name, agent_type, system, llm_config) values (${agent}, ${DEFAULT_ORG_ID}, 'bench', 'letta_v1_agent', '', '{}'::jsonb)`,
  );
  await db.execute(
    sql`insert into agent_archives (agent_id, archive_id, organization_id, is_owner) values (${agent}, ${small}, ${DEFAULT_ORG_ID}, true)`,
  );
  return { big, small, agent };
}

function row(archiveId: string, i: number) {
  const c = i % centers.length;
  const embedding = sample(centers[c]!, 0.9);
  return {
    id: newId('passage'),
    organizationId: DEFAULT_ORG_ID,
    archiveId,
    text: `note ${i} on topic t${c} kind k${i % 7}`,
    embedding,
    embeddingDim: DIM,
  };
}

/**
 * Bulk load with the production insert statement, in calls of 5,000 rows (one transaction each, statements of 1,000
 * rows), before the HNSW index exists (built afterwards, as a restore or an import would). Vector generation is
 * outside the timed part, as embedding time is.
 */
async function bulkLoad(db: DbHandle['db'], n: number, ids: { big: string; small: string }): Promise<number> {
  let spent = 0;
  for (let i = 0; i < n; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - i) }, (_, j) => row((i + j) % 100 === 0 ? ids.small : ids.big, i + j));
    const t0 = performance.now();
    await writePassageRows(db, rows);
    spent += performance.now() - t0;
  }
  return n / (spent / 1000);
}

async function buildIndex(h: DbHandle): Promise<number> {
  const t0 = performance.now();
  const ddl = `create index if not exists ${indexName('passages', DIM)} on passages using hnsw ((embedding::vector(${DIM})) vector_cosine_ops) where embedding_dim = ${DIM}`;
  if (h.pool) {
    const c = await h.pool.connect();
    await c.query(`set maintenance_work_mem = '768MB'`);
    await c.query(ddl);
    await c.query('analyze passages');
    c.release();
  } else {
    await h.exec(`set maintenance_work_mem = '512MB'; ${ddl}; analyze passages;`);
  }
  return (performance.now() - t0) / 1000;
}

/** `text` set → hybrid (vector + full text, fused); recall@10 is then not comparable to an exact vector scan. */
type Scenario = { label: string; scope: { agentId?: string }; truth: ReturnType<typeof sql>; text?: string; forceAnn?: boolean };

async function measure(db: DbHandle['db'], s: Scenario, queries: number[][]) {
  const lat: number[] = [];
  const found: string[][] = [];
  let current: number[] = [];
  const client = { model: 'bench', embed: async () => [current] } as unknown as EmbeddingClient;
  const deps = { db, embedderFor: () => client };
  for (const q of queries) {
    current = q;
    const t0 = performance.now();
    const rows = s.forceAnn ? await forcedAnn(db, s, q) : (await searchPassages(deps, query(s))).map((h) => ({ id: h.passage.id }));
    lat.push(performance.now() - t0);
    found.push(rows.map((r) => String(r.id)));
  }
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  return { p50: pct(0.5), p99: pct(0.99), recall: s.text ? NaN : await recallAt10(db, s, queries, found) };
}

/** Exact scans run after the timed loop: a 100k-row scan between searches would evict the index from the cache. */
async function recallAt10(db: DbHandle['db'], s: Scenario, queries: number[][], found: string[][]): Promise<number> {
  let hits = 0;
  for (const [i, q] of queries.entries()) {
    const exact = await db.execute(
      sql`select t.id from passages t where ${s.truth} and t.embedding_dim = ${DIM} order by (${vectorExpr('t', DIM)} <=> ${queryVector(q, DIM)}) + 0 limit 10`,
    );
    const truth = new Set((exact as unknown as { rows: { id: string }[] }).rows.map((r) => r.id));
    hits += found[i]!.filter((id) => truth.has(id)).length;
  }
  return hits / (queries.length * 10);
}

function query(s: Scenario): PassageQuery {
  const mode = s.text ? 'hybrid' : 'vector';
  return {
    orgId: DEFAULT_ORG_ID,
    agentId: s.scope.agentId,
    query: s.text ?? 'q',
    limit: 10,
    embeddingConfig: { embedding_model: 'bench' },
    mode,
  };
}

/** Diagnostic, not a production path: the HNSW index forced onto a small slice (why small slices scan exactly). */
async function forcedAnn(db: DbHandle['db'], s: Scenario, q: number[]) {
  const spec = {
    table: 'passages' as const,
    scope: s.truth,
    filters: [],
    columns: sql.raw('t.id'),
    text: '',
    vector: { values: q, dim: DIM },
    limit: 10,
    mode: 'vector' as const,
    exactBelow: 0,
  };
  return hybridSearch(db, spec);
}

async function runOn(kind: string, h: DbHandle, n: number, nq: number) {
  await runMigrations(h);
  const ids = await setupArchives(h.db);
  const bulk = await bulkLoad(h.db, n, ids);
  const build = await buildIndex(h);
  const extra = Array.from({ length: 2000 }, (_, i) => row(i % 100 === 0 ? ids.small : ids.big, n + i));
  const t0 = performance.now();
  for (let i = 0; i < extra.length; i += 500) await insertPassageRows(h.db, extra.slice(i, i + 500));
  const indexed = extra.length / ((performance.now() - t0) / 1000);
  await h.exec('vacuum analyze passages');
  const queries = Array.from({ length: nq }, (_, i) => sample(centers[(i * 7) % centers.length]!, 1.0));
  const org = sql`t.organization_id = ${DEFAULT_ORG_ID}`;
  const small = sql`${org} and t.archive_id = ${ids.small}`;
  const scenarios: Scenario[] = [
    { label: 'whole table (HNSW)', scope: {}, truth: org },
    { label: 'agent owning 1% (auto: exact scan)', scope: { agentId: ids.agent }, truth: small },
    { label: 'agent owning 1% (diagnostic: HNSW forced, iterative scan)', scope: { agentId: ids.agent }, truth: small, forceAnn: true },
    { label: 'whole table, hybrid (vector + full text "topic t7 kind k3")', scope: {}, truth: org, text: 'topic t7 kind k3' },
    { label: 'agent owning 1%, hybrid (vector + full text)', scope: { agentId: ids.agent }, truth: small, text: 'topic t7 kind k3' },
  ];
  await measure(h.db, { ...scenarios[0]!, label: 'warm-up' }, queries.slice(0, 20));
  const spec = {
    table: 'passages' as const,
    scope: org,
    filters: [],
    columns: sql.raw('t.id'),
    text: '',
    vector: { values: queries[0]!, dim: DIM },
    limit: 10,
    mode: 'vector' as const,
  };
  const plan = await h.db.execute(sql`explain ${buildHybridStatement(spec, 'ann')!.statement}`);
  const planText = JSON.stringify((plan as unknown as { rows: unknown[] }).rows);
  console.log(`${kind}: whole-table plan uses ${indexName('passages', DIM)}: ${planText.includes(indexName('passages', DIM))}`);
  const results = [];
  for (const s of scenarios) results.push({ label: s.label, ...(await measure(h.db, s, queries)) });
  return { kind, n: n + extra.length, bulk, build, indexed, results };
}

function table(runs: Awaited<ReturnType<typeof runOn>>[]): string {
  const lines = ['| database | rows | scenario | p50 ms | p99 ms | recall@10 |', '|---|---|---|---|---|---|'];
  for (const r of runs)
    for (const x of r.results)
      lines.push(
        `| ${r.kind} | ${r.n} | ${x.label} | ${x.p50.toFixed(2)} | ${x.p99.toFixed(2)} | ${Number.isNaN(x.recall) ? 'n/a' : x.recall.toFixed(3)} |`,
      );
  lines.push(
    '',
    '| database | batched insert, no HNSW index yet, rows/s | HNSW build s | batched insert with the index, rows/s |',
    '|---|---|---|---|',
  );
  for (const r of runs) lines.push(`| ${r.kind} | ${r.bulk.toFixed(0)} | ${r.build.toFixed(1)} | ${r.indexed.toFixed(0)} |`);
  return lines.join('\n');
}

async function main() {
  const runs = [];
  const nq = arg('queries', 200);
  const url = process.env.DATABASE_URL;
  if (url && arg('pg-rows', 100_000) > 0) {
    runs.push(await withScratchPostgres(url, 'bench', 4, (h) => runOn('Postgres 15 + pgvector 0.8.0', h, arg('pg-rows', 100_000), nq)));
  }
  if (arg('pglite-rows', 10_000) > 0) {
    const h = await openDb({});
    runs.push(await runOn('PGlite 0.5 + pgvector', h, arg('pglite-rows', 10_000), nq));
    await h.close();
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const sizes = runs.map((r) => `${r.kind}: ${r.n} rows × ${DIM} dims`).join('; ');
  const note = process.argv.includes('--note') ? `\n\n${process.argv[process.argv.indexOf('--note') + 1]}` : '';
  const out = `${table(runs)}\n\nSizes: ${sizes}; ${nq} queries per scenario; load average at the end ${load} (2 cores, shared).${note}`;
  console.log(out);
  if (process.argv.includes('--write')) writeResultsSection('Search', out);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
