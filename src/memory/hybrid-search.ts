// Hybrid search in one SQL statement: vector candidates (HNSW, or an exact scan for a small slice) and full-text
// candidates, fused by a convex combination of per-list z-scores. Scope and filters sit inside both candidate
// queries, so filtering never happens after a limit.
//
// Why z-scores and not reciprocal rank fusion: RRF only sees ranks, so a document ranked 3rd in both lists beats an
// exact identifier match ranked 1st in one list and absent from the other. Every candidate (union of both lists) is
// scored on BOTH signals (cosine similarity and ts_rank_cd), and each signal is standardised over the candidates.
// A decisive top hit (an outlier, e.g. the one passage containing a ticket code) gets a large z; a list whose scores
// are all alike (ties, or noise) contributes little. No per-query tuning, no magic constants beyond the weight.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ensureVectorIndex, queryVector, vectorExpr, type VectorTable } from '../db/vector-index.js';

/** Weight of the vector signal in hybrid mode (the text signal gets the rest). */
export const VECTOR_WEIGHT = 0.5;
/** Below this many rows in the scope, the vector side scans them exactly (faster and recall 1.0; see bench). */
export const EXACT_SCAN_BELOW = 3000;

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
  const wv = !useFts ? 1 : !useVec ? 0 : VECTOR_WEIGHT;
  const table = sql.raw(spec.table);
  const statement = sql`with ${sql.join(ctes, sql`, `)},
    cand as (select coalesce(v.id, f.id) as id, v.r as vector_rank, f.r as fts_rank
      from vec v full outer join fts f on v.id = f.id),
    raw as (select c.*, ${similarityOf(spec, useVec)} as vsim, ${textScoreOf(spec, useFts)} as tsim
      from cand c join ${table} t on t.id = c.id),
    filled as (select *, coalesce(vsim, min(vsim) over ()) as vs from raw),
    fused as (select *,
      ${wv}::float8 * coalesce((vs - avg(vs) over ()) / nullif(stddev_pop(vs) over (), 0), 0)
      + ${1 - wv}::float8 * coalesce((tsim - avg(tsim) over ()) / nullif(stddev_pop(tsim) over (), 0), 0) as score
      from filled)
    select ${spec.columns}, fused.score::float8 as rrf_score, fused.vector_rank::int as vector_rank,
      fused.fts_rank::int as fts_rank
    from fused join ${table} t on t.id = fused.id
    order by fused.score desc, coalesce(fused.vector_rank, 1e9), coalesce(fused.fts_rank, 1e9), t.created_at desc, t.id
    limit ${spec.limit}`;
  return { statement, useVec, cand };
}

/** Cosine similarity of a candidate (null when it has no embedding of the query's size). */
function similarityOf(spec: HybridSpec, useVec: boolean): SQL {
  if (!useVec) return sql`null::float8`;
  const { dim, values } = spec.vector!;
  return sql`case when t.embedding_dim = ${dim} then 1 - (${vectorExpr('t', dim)} <=> ${queryVector(values, dim)}) end::float8`;
}

/** Cover-density text score of a candidate (0 when it does not match). */
function textScoreOf(spec: HybridSpec, useFts: boolean): SQL {
  if (!useFts) return sql`0::float8`;
  return sql`ts_rank_cd(t.tsv, ${tsQuery(spec.text)})::float8`;
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
  // Tied scores share a rank (rank(), not row_number()): an arbitrary order among equals means nothing.
  return sql`fts as (select id, rank() over (order by rank desc) as r from
      (select t.id, ts_rank_cd(t.tsv, q.q) as rank from ${table} t, (select ${tsQuery(spec.text)} as q) q
       where ${where} order by rank desc limit ${cand}) f)`;
}

function rowsOf(res: unknown): HybridRow[] {
  return ((res as { rows?: HybridRow[] }).rows ?? []) as HybridRow[];
}
