// Folders and files benchmark: ingest throughput (one 10 MB markdown file; 100 small PDFs), grep_files p50 over
// 1,000 files, semantic_search_files p50 over 100k chunks, on PGlite and PostgreSQL (DATABASE_URL; a scratch
// database is created and dropped). Uploads go over HTTP to the real server; embeddings come from the scripted
// OpenAI-compatible server on 127.0.0.1 (hashed 64-dim vectors), so ingest includes those HTTP round trips.
// PDFs come from test/support/tiny-pdf.ts (a minimal PDF writer, Helvetica text). Grep and search rows are loaded
// straight into the tables (not through uploads) and the tools are called as the agent loop calls them.
// The search chunks are seeded without the HNSW index, which is then built once (its build time is reported): the
// same index a live server keeps, without timing 100k one-by-one index inserts. Whole run bounded by --max-minutes.
// Usage: npm run bench:files [-- --md-mb 10 --pdfs 100 --chunks 100000 --queries 30 --max-minutes 60 --write]
import { cpus, loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { openDb, type DbHandle } from '../src/db/client.js';
import { indexName } from '../src/db/vector-index.js';
import { DEFAULT_ORG_ID, newId } from '../src/ids.js';
import { createLlmRegistry } from '../src/llm/registry.js';
import { createEmbedderResolver, type EmbedderFor } from '../src/memory/embedding.js';
import { runFileTool } from '../src/resources/folders/file-tools.js';
import { hashedEmbedding } from '../test/support/scripted-llm.js';
import { tinyPdf } from '../test/support/tiny-pdf.js';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { writeResultsSection } from './results-section.js';
import { withScratchPostgres } from './scratch-postgres.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CHUNKS = arg('chunks', 100_000);
const QUERIES = arg('queries', 30);
const MD_MB = arg('md-mb', 10);
const PDFS = arg('pdfs', 100);
const MAX_MINUTES = arg('max-minutes', 60);
const EMB = {
  embedding_endpoint_type: 'openai',
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 64,
  handle: 'openai/text-embedding-3-small',
  embedding_chunk_size: 300,
};
const WORDS = 'river stone lantern orchard falcon copper meadow harbor violet ember glacier saffron tundra quill marble'.split(' ');
let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const sentence = (n = 12) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function markdown(bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = i % 20 === 0 ? `## Section ${i / 20}` : `${sentence()}.`;
    out.push(line, '');
    size += line.length + 2;
  }
  return out.join('\n');
}

async function upload(b: BenchApp, folderId: string, name: string, data: Buffer, type: string): Promise<string> {
  const fd = new FormData();
  fd.append('file', new Blob([data], { type }), name);
  const res = await fetch(`${b.url}/v1/folders/${folderId}/upload`, { method: 'POST', body: fd });
  if (!res.ok) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function waitAll(b: BenchApp, folderId: string, n: number): Promise<number> {
  for (;;) {
    const res = await fetch(`${b.url}/v1/folders/${folderId}/files?limit=1000`);
    const files = (await res.json()) as { processing_status: string; total_chunks: number | null }[];
    const bad = files.find((f) => f.processing_status === 'error');
    if (bad) throw new Error(`processing failed: ${JSON.stringify(bad)}`);
    if (files.length >= n && files.every((f) => f.processing_status === 'completed'))
      return files.reduce((s, f) => s + (f.total_chunks ?? 0), 0);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function folder(b: BenchApp, name: string): Promise<string> {
  const res = await fetch(`${b.url}/v1/folders/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, embedding_config: EMB }),
  });
  return ((await res.json()) as { id: string }).id;
}

async function ingest(b: BenchApp): Promise<string[]> {
  const md = Buffer.from(markdown(MD_MB * 1024 * 1024));
  const f1 = await folder(b, 'bench-md');
  let t = performance.now();
  await upload(b, f1, 'big.md', md, 'text/markdown');
  const mdChunks = await waitAll(b, f1, 1);
  const mdSec = (performance.now() - t) / 1000;
  const pdfs = Array.from({ length: PDFS }, (_, i) =>
    tinyPdf([Array.from({ length: 30 }, () => sentence(10)), [`page two of report ${i}`, sentence()]]),
  );
  const pdfBytes = pdfs.reduce((s, p) => s + p.length, 0);
  const f2 = await folder(b, 'bench-pdf');
  t = performance.now();
  for (const [i, p] of pdfs.entries()) await upload(b, f2, `report-${i}.pdf`, p, 'application/pdf');
  const pdfChunks = await waitAll(b, f2, PDFS);
  const pdfSec = (performance.now() - t) / 1000;
  const mb = (n: number) => n / 1024 / 1024;
  return [
    `| ${MD_MB} MB markdown (1 file) | ${mb(md.length).toFixed(1)} MB | ${mdChunks} | ${mdSec.toFixed(1)} s | ${(mb(md.length) / mdSec).toFixed(2)} MB/s | ${(mdChunks / mdSec).toFixed(0)} chunks/s |`,
    `| ${PDFS} small PDFs | ${mb(pdfBytes).toFixed(2)} MB | ${pdfChunks} | ${pdfSec.toFixed(1)} s | ${(mb(pdfBytes) / pdfSec).toFixed(2)} MB/s | ${(pdfChunks / pdfSec).toFixed(0)} chunks/s (${(PDFS / pdfSec).toFixed(1)} files/s) |`,
  ];
}

/** An agent with one folder of `files` files (200 lines each) in its window, loaded straight into the tables. */
async function grepSetup(db: DbHandle['db']): Promise<{ agentId: string; folderId: string }> {
  const agentId = newId('agent');
  const folderId = newId('source');
  await db.execute(
    sql`insert into agents (id, organization_id, name, agent_type, system, llm_config) values (${agentId}, ${DEFAULT_ORG_ID}, 'bench', 'letta_v1_agent', '', '{"context_window": 128000}'::jsonb)`,
  );
  await db.execute(
    sql`insert into folders (id, organization_id, name, embedding_config) values (${folderId}, ${DEFAULT_ORG_ID}, 'bench-grep', ${JSON.stringify(EMB)}::jsonb)`,
  );
  await db.execute(
    sql`insert into agent_folders (agent_id, folder_id, organization_id) values (${agentId}, ${folderId}, ${DEFAULT_ORG_ID})`,
  );
  for (let i = 0; i < 1000; i += 100) {
    const rows = Array.from({ length: 100 }, (_, j) => {
      const content = Array.from({ length: 200 }, (_, k) => `${k === 77 && (i + j) % 10 === 0 ? 'NEEDLE-42 ' : ''}${sentence(8)}`).join(
        '\n',
      );
      return sql`(${newId('file')}, ${DEFAULT_ORG_ID}, ${folderId}, ${`bench-grep/f${i + j}.md`}, ${`f${i + j}.md`}, 'text/markdown', ${content.length}, 'completed', ${content})`;
    });
    await db.execute(
      sql`insert into folder_files (id, organization_id, folder_id, file_name, original_file_name, file_type, file_size, processing_status, content) values ${sql.join(rows, sql`, `)}`,
    );
  }
  await db.execute(
    sql`insert into agent_file_views (agent_id, file_id, folder_id, organization_id, is_open) select ${agentId}, id, folder_id, organization_id, false from folder_files where folder_id = ${folderId}`,
  );
  return { agentId, folderId };
}

async function timeTool(
  b: BenchApp,
  who: { orgId: string; agentId: string },
  name: string,
  args: (i: number) => Record<string, unknown>,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < QUERIES + 3; i++) {
    const t = performance.now();
    const r = await runFileTool({ db: b.ctx.dbh.db, embedderFor: embedderOf(b) }, { name, toolType: 'letta_files_core' }, args(i), who);
    if (r?.status !== 'success') throw new Error(`${name}: ${JSON.stringify(r)}`);
    if (i >= 3) out.push(performance.now() - t);
  }
  return out;
}

/** An embedder like the server's own (same provider config), for calling the tools directly. */
const embedders = new WeakMap<BenchApp, EmbedderFor>();
function embedderOf(b: BenchApp): EmbedderFor {
  let e = embedders.get(b);
  if (!e) {
    e = createEmbedderResolver(createLlmRegistry({ openai: { apiKey: 'k', baseUrl: b.llm.openaiBaseUrl }, anthropic: {}, ollama: {} }, {}));
    embedders.set(b, e);
  }
  return e;
}

/** Seeds CHUNKS chunks with fake (hashed) embeddings, then builds the 64-dim HNSW index; returns [load s, index s]. */
async function chunksSetup(db: DbHandle['db'], folderId: string, fileId: string): Promise<[number, number]> {
  const index = indexName('file_chunks', 64);
  await db.execute(sql.raw(`drop index if exists ${index}`));
  const t = performance.now();
  for (let i = 0; i < CHUNKS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, CHUNKS - i) }, (_, j) => {
      const text = `${sentence(40)} item${i + j}`;
      const v = hashedEmbedding(text, 64);
      return sql`(${newId('passage')}, ${DEFAULT_ORG_ID}, ${folderId}, ${fileId}, 'bench-grep/f0.md', ${i + j}, ${text}, ${`[${v.join(',')}]`}::vector, 64)`;
    });
    await db.execute(
      sql`insert into file_chunks (id, organization_id, folder_id, file_id, file_name, chunk_index, text, embedding, embedding_dim) values ${sql.join(rows, sql`, `)}`,
    );
  }
  const loaded = performance.now();
  await db.execute(
    sql.raw(`create index ${index} on file_chunks using hnsw ((embedding::vector(64)) vector_cosine_ops) where embedding_dim = 64`),
  );
  await db.execute(sql`analyze file_chunks`);
  return [(loaded - t) / 1000, (performance.now() - loaded) / 1000];
}

async function runOn(label: string, dbh: DbHandle): Promise<string[]> {
  const b = await startBenchApp({}, { ...dbh, close: async () => {} });
  try {
    const ingestRows = await ingest(b);
    const g = await grepSetup(b.ctx.dbh.db);
    const who = { orgId: DEFAULT_ORG_ID, agentId: g.agentId };
    const grep = await timeTool(b, who, 'grep_files', () => ({ pattern: 'needle-4\\d', context_lines: 1 }));
    const [first] = (
      (await b.ctx.dbh.db.execute(sql`select id from folder_files where folder_id = ${g.folderId} limit 1`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const [loadSec, indexSec] = await chunksSetup(b.ctx.dbh.db, g.folderId, first!.id);
    const sem = await timeTool(b, who, 'semantic_search_files', (i) => ({
      query: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} item${i * 997}`,
      limit: 5,
    }));
    return [
      ...ingestRows.map((r) => r.replace('| ', `| ${label} | `)),
      `| ${label} | grep_files, 1,000 files × 200 lines (${QUERIES} calls) | | | p50 ${p50(grep).toFixed(1)} ms | | |`,
      `| ${label} | semantic_search_files, ${CHUNKS.toLocaleString('en')} chunks × 64 dims (${QUERIES} calls; seeded directly with fake embeddings in ${loadSec.toFixed(0)} s, HNSW built in ${indexSec.toFixed(0)} s) | | | p50 ${p50(sem).toFixed(1)} ms | | |`,
    ];
  } finally {
    await b.close();
  }
}

async function main() {
  const limit = setTimeout(() => {
    console.error(`bench:files: over --max-minutes ${MAX_MINUTES}; stopped (rerun with smaller --md-mb/--pdfs/--chunks)`);
    process.exit(2);
  }, MAX_MINUTES * 60_000);
  limit.unref();
  const rows: string[] = [];
  const pglite = await openDb({});
  try {
    rows.push(...(await runOn('PGlite', pglite)));
  } finally {
    await pglite.close();
  }
  const url = process.env.DATABASE_URL;
  if (url) rows.push(...(await withScratchPostgres(url, 'bench_files', 5, (h) => runOn('PostgreSQL', h))));
  const body = [
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end.`,
    'Ingest = upload over HTTP until every file reports `completed` (parse, chunk, embed through the scripted embedding server on 127.0.0.1, insert).',
    '',
    '| database | workload | size | chunks | time / p50 | MB/s | chunks/s |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(body);
  if (process.argv.includes('--write')) writeResultsSection('Folders and files', body);
}

await main();
