// Hybrid search in one SQL statement: vector candidates (HNSW, or an exact scan for a small slice) and full-text
// candidates, fused by reciprocal rank fusion. Scope and filters sit inside both candidate queries, so filtering
// never happens after a limit.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ensureVectorIndex, queryVector, vectorExpr, type VectorTable } from '../db/vector-index.js';

export const RRF_K = 60;
/** Below this many rows in the scope, the vector side scans them exactly (faster and recall 1.0; see bench). */
export const EXACT_SCAN_BELOW = 3000;

/** Text hits scoring under this fraction of the best text hit do not enter the fusion. */
export const FTS_RELATIVE_CUTOFF = 0.5;

export type SearchMode = 'hybrid' | 'vector' | 'fts';

export type HybridSpec = {
  table: VectorTable;
  /** Conditions on alias `t` that select the searchable slice (archive or agent); must be index-friendly. */
  scope: SQL;
  /** Extra conditions on `t` (tags, dates, roles). */
  filters: SQL[];
  /** Columns to return, on alias `t`. */
  columns: SQL;
  text: string;
  vector?: { values: number[]; dim: number } | null;
  limit: number;
  mode?: SearchMode;
  exactBelow?: number;
};

export type HybridRow = Record<string, unknown> & { rrf_score: number; vector_rank: number | null; fts_rank: number | null };

/** websearch syntax (quotes, -term, OR) is honoured; a plain question matches ANY of its words, ranked by cover density. */
export function tsQuery(text: string): SQL {
  const web = sql`websearch_to_tsquery('english', ${text})`;
  return /["]|(^|\s)-\S|\sor\s/i.test(text) ? web : sql`replace(${web}::text, '&', '|')::tsquery`;
}

export async function hybridSearch(db: Db, spec: HybridSpec): Promise<HybridRow[]> {
  const built = buildHybridStatement(spec);
  if (!built) return [];
  const { statement, useVec, cand } = built;
  if (!useVec) return rowsOf(await db.execute(statement));
  await ensureVectorIndex(db, spec.table, spec.vector!.dim);
  // Iterative scans keep walking the HNSW graph until enough rows pass the filters (pgvector ≥ 0.8).
  return db.transaction(async (tx) => {
    const efSearch = String(Math.max(100, cand));
    await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${efSearch}, true)`);
    return rowsOf(await tx.execute(statement));
  });
}

/** The single search statement (exported so the benchmark can EXPLAIN exactly what runs). */
export function buildHybridStatement(spec: HybridSpec): { statement: SQL; useVec: boolean; cand: number } | null {
  const mode = spec.mode ?? 'hybrid';
  const useVec = mode !== 'fts' && !!spec.vector;
  const useFts = mode !== 'vector' && spec.text.trim() !== '';
  if (!useVec && !useFts) return null;
  const cand = Math.min(Math.max(spec.limit * 3, 30), 300);
  const ctes: SQL[] = [];
  if (useVec) ctes.push(...vectorCtes(spec, cand));
  else ctes.push(sql`vec as (select null::text as id, null::bigint as r where false)`);
  ctes.push(useFts ? ftsCte(spec, cand) : sql`fts as (select null::text as id, null::bigint as r where false)`);
  const table = sql.raw(spec.table);
  const statement = sql`with ${sql.join(ctes, sql`, `)},
    fused as (
      select coalesce(v.id, f.id) as id, v.r as vector_rank, f.r as fts_rank,
        coalesce(1.0 / (${RRF_K} + v.r), 0) + coalesce(1.0 / (${RRF_K} + f.r), 0) as rrf_score
      from vec v full outer join fts f on v.id = f.id)
    select ${spec.columns}, fused.rrf_score::float8 as rrf_score, fused.vector_rank::int as vector_rank,
      fused.fts_rank::int as fts_rank
    from fused join ${table} t on t.id = fused.id
    order by fused.rrf_score desc, t.created_at desc, t.id
    limit ${spec.limit}`;
  return { statement, useVec, cand };
}

function vectorCtes(spec: HybridSpec, cand: number): SQL[] {
  const { dim, values } = spec.vector!;
  const expr = vectorExpr('t', dim);
  const q = queryVector(values, dim);
  const table = sql.raw(spec.table);
  const where = sql.join([spec.scope, sql`t.embedding_dim = ${dim}`, ...spec.filters], sql` and `);
  const threshold = spec.exactBelow ?? EXACT_SCAN_BELOW;
  // Counting stops at the threshold, so this costs at most `threshold` index entries.
  const small = sql`small as materialized (select count(*) < ${threshold} as v from
      (select 1 from ${table} t where ${spec.scope} and t.embedding_dim = ${dim} limit ${threshold}) c)`;
  // `+ 0` hides the ordering from the HNSW index, forcing the exact path.
  const exact = sql`vec_exact as (select t.id, (${expr} <=> ${q}) as d from ${table} t
      where (select v from small) and ${where} order by (${expr} <=> ${q}) + 0 limit ${cand})`;
  const ann = sql`vec_ann as (select t.id, (${expr} <=> ${q}) as d from ${table} t
      where not (select v from small) and ${where} order by ${expr} <=> ${q} limit ${cand})`;
  const vec = sql`vec as (select id, rank() over (order by d) as r from
      (select * from vec_exact union all select * from vec_ann) u)`;
  return [small, exact, ann, vec];
}

function ftsCte(spec: HybridSpec, cand: number): SQL {
  const table = sql.raw(spec.table);
  const where = sql.join([spec.scope, sql`t.tsv @@ q.q`, ...spec.filters], sql` and `);
  // Tied scores share a rank (rank(), not row_number()): an arbitrary order among equals must not sway the fusion.
  // With OR semantics a document matching one common word of the question would still earn a fused score that
  // can outrank an exact identifier match; text hits far below the best text hit are dropped as noise.
  return sql`fts as (select id, rank() over (order by rank desc) as r from
      (select id, rank, max(rank) over () as top from
        (select t.id, ts_rank_cd(t.tsv, q.q) as rank from ${table} t, (select ${tsQuery(spec.text)} as q) q
         where ${where} order by rank desc limit ${cand}) f0) f
      where rank >= ${FTS_RELATIVE_CUTOFF} * top)`;
}

function rowsOf(res: unknown): HybridRow[] {
  return ((res as { rows?: HybridRow[] }).rows ?? []) as HybridRow[];
}
