// Hybrid search in one SQL statement: vector candidates (HNSW, or an exact scan for a small slice; see
// vector-candidates.ts) and full-text candidates (a bounded pool; see text-candidates.ts), fused by a convex
// combination of per-list z-scores. Scope and filters sit inside both candidate queries, so filtering never happens
// after a limit.
//
// Why z-scores and not reciprocal rank fusion: RRF only sees ranks, so a document ranked 3rd in both lists beats an
// exact identifier match ranked 1st in one list and absent from the other. Every candidate (union of both lists) is
// scored on BOTH signals (cosine similarity and ts_rank_cd), and each signal is standardised over the candidates.
// A decisive top hit (an outlier, e.g. the one passage containing a ticket code) gets a large z; a list whose scores
// are all alike (ties, or noise) contributes little. No per-query tuning, no magic constants beyond the weight.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ensureVectorIndex, queryVector, vectorExpr, type VectorTable } from '../db/vector-index.js';
import { rankQuery, textCtes } from './text-candidates.js';
import { chooseVectorPath, vectorCtes, type VectorPath } from './vector-candidates.js';

/** Weight of the vector signal in hybrid mode (the text signal gets the rest). */
const VECTOR_WEIGHT = 0.5;

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
  /** Row count below which the vector side scans exactly (0 forces the HNSW index). */
  exactBelow?: number;
};

export type HybridRow = Record<string, unknown> & { rrf_score: number; vector_rank: number | null; fts_rank: number | null };

type Sides = { useVec: boolean; useFts: boolean; cand: number };

function sidesOf(spec: HybridSpec): Sides | null {
  const mode = spec.mode ?? 'hybrid';
  const useVec = mode !== 'fts' && !!spec.vector;
  const useFts = mode !== 'vector' && spec.text.trim() !== '';
  if (!useVec && !useFts) return null;
  return { useVec, useFts, cand: Math.min(Math.max(spec.limit * 3, 30), 300) };
}

export async function hybridSearch(db: Db, spec: HybridSpec): Promise<HybridRow[]> {
  const sides = sidesOf(spec);
  if (!sides) return [];
  if (sides.useVec) await ensureVectorIndex(db, spec.table, spec.vector!.dim);
  // One transaction so the SET LOCAL knobs chosen with the path apply to the search statement. Parallel workers are
  // off even without a vector: a gated full-text pool may be planned as a parallel scan whose workers start anyway.
  return db.transaction(async (t) => {
    const tx: Db = t;
    let path: VectorPath = 'exact';
    if (sides.useVec) path = await chooseVectorPath(tx, { ...spec, vector: spec.vector! }, sides.cand);
    else await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true)`);
    return rowsOf(await tx.execute(buildHybridStatement(spec, path)!.statement));
  });
}

/** The single search statement for a vector path (exported so the benchmark can EXPLAIN exactly what runs). */
export function buildHybridStatement(spec: HybridSpec, path: VectorPath): { statement: SQL; cand: number } | null {
  const sides = sidesOf(spec);
  if (!sides) return null;
  const { useVec, useFts, cand } = sides;
  // Formatted once: 768 numbers as text is the costliest part of building the statement.
  const q = useVec ? queryVector(spec.vector!.values, spec.vector!.dim) : null;
  const none = (name: string) => sql`${sql.raw(name)} as (select null::text as id, null::bigint as r, null::float8 as d,
      null::float8 as s, null::timestamptz as created_at where false)`;
  const ctes: SQL[] = [
    ...(useVec ? vectorCtes({ ...spec, vector: spec.vector! }, cand, path, q!) : [none('vec')]),
    ...(useFts ? textCtes(spec, cand) : [none('fts')]),
  ];
  const wv = !useFts ? 1 : !useVec ? 0 : VECTOR_WEIGHT;
  const table = sql.raw(spec.table);
  const order = sql`score desc, coalesce(vector_rank, 1e9), coalesce(fts_rank, 1e9), created_at desc, id collate "C"`;
  // Each side brings its own score; only with both sides is a candidate scored again on the signal it lacks.
  // A zero vector (stored, or the query's) has no direction: its cosine distance is NaN, which would make every z-score
  // and so every score NaN. Such a similarity counts as unknown (filled with the lowest below).
  const raw =
    useVec && useFts
      ? sql`select c.id, c.vector_rank, c.fts_rank, c.created_at, nullif(coalesce(1 - c.d, ${similarityOf(spec, q!)}), 'NaN'::float8) as vsim,
        coalesce(c.s, ${textScoreOf(spec)}) as tsim from cand c join ${table} t on t.id = c.id`
      : sql`select c.id, c.vector_rank, c.fts_rank, c.created_at, nullif(1 - c.d, 'NaN'::float8) as vsim, coalesce(c.s, 0) as tsim from cand c`;
  const statement = sql`with ${sql.join(ctes, sql`, `)},
    cand as (select coalesce(v.id, f.id) as id, v.r as vector_rank, f.r as fts_rank, v.d, f.s,
      coalesce(v.created_at, f.created_at) as created_at from vec v full outer join fts f on v.id = f.id),
    raw as (${raw}),
    filled as (select *, coalesce(vsim, min(vsim) over ()) as vs from raw),
    fused as (select *,
      ${wv}::float8 * ${zScore(sql`vs`)} + ${1 - wv}::float8 * ${zScore(sql`tsim`)} as score
      from filled),
    top as (select id, score, vector_rank, fts_rank, created_at from fused order by ${order} limit ${spec.limit})
    select ${spec.columns}, top.score::float8 as rrf_score, top.vector_rank::int as vector_rank, top.fts_rank::int as fts_rank
    from top join ${table} t on t.id = top.id
    order by top.score desc, coalesce(top.vector_rank, 1e9), coalesce(top.fts_rank, 1e9), top.created_at desc, top.id collate "C"`;
  return { statement, cand };
}

/**
 * A signal standardised over the candidates; 0 when it cannot be (one candidate, all scores alike up to rounding,
 * unknown or non-finite values), so the fused score is always a finite number.
 */
function zScore(col: SQL): SQL {
  // PostgreSQL orders NaN above every number, so `between` also rules out a NaN or infinite spread.
  return sql`coalesce(case when stddev_pop(${col}) over () between 1e-12 and 1e300
      then (${col} - avg(${col}) over ()) / stddev_pop(${col}) over () end, 0)`;
}

/** Cosine similarity of a candidate (null when it has no embedding of the query's size). */
function similarityOf(spec: HybridSpec, q: SQL | null): SQL {
  if (!q) return sql`null::float8`;
  const { dim } = spec.vector!;
  return sql`case when t.embedding_dim = ${dim} then 1 - (${vectorExpr('t', dim)} <=> ${q}) end::float8`;
}

/** Cover-density text score of a candidate (0 when it does not match). */
function textScoreOf(spec: HybridSpec): SQL {
  return sql`ts_rank_cd(t.tsv, ${rankQuery(spec.text)})::float8`;
}

function rowsOf(res: unknown): HybridRow[] {
  return ((res as { rows?: HybridRow[] }).rows ?? []) as HybridRow[];
}
