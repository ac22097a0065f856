// Vector side of hybrid search: an exact scan for a small slice, the HNSW index for a large one.
//
// The choice is made per query from a capped count of the rows the vector side may return (scope + dimension +
// filters, stopping at `exactBelow`), read through `(organization_id, archive_id, embedding_dim)` for passages.
// Below the cap an exact sort is fast and exact, while a filtered HNSW walk over a small slice misses most of it; above
// the cap the HNSW index runs with an iterative scan, so filters make it walk further instead of returning fewer rows.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { vectorExpr, type VectorTable } from '../db/vector-index.js';

/** Below this many rows in the scope (after filters), the vector side scans them exactly. */
const EXACT_SCAN_BELOW = 3000;
/** HNSW candidate list size at least this (recall@10 ≥ 0.95 at 100k × 768 in the bench). */
const MIN_EF_SEARCH = 100;
/** Index tuples an iterative scan may visit before giving up (pgvector's default is 20 000). */
const MAX_SCAN_TUPLES = 40_000;

export type VectorPath = 'exact' | 'ann';
export type VectorCteSpec = {
  table: VectorTable;
  scope: SQL;
  filters: SQL[];
  vector: { values: number[]; dim: number };
  exactBelow?: number;
};

/**
 * Sets the HNSW knobs for the current transaction and counts (up to the cap) the rows in reach, in one round trip.
 * Parallel workers are switched off: starting them costs more (~10 ms) than any plan this search runs.
 */
export async function chooseVectorPath(tx: Db, spec: VectorCteSpec, cand: number): Promise<VectorPath> {
  const cap = spec.exactBelow ?? EXACT_SCAN_BELOW;
  const where = sql.join([spec.scope, sql`t.embedding_dim = ${spec.vector.dim}`, ...spec.filters], sql` and `);
  const count = cap > 0 ? sql`(select count(*) from (select 1 from ${sql.raw(spec.table)} t where ${where} limit ${cap}) c)::int` : sql`0`;
  const res = await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true),
      set_config('hnsw.iterative_scan', 'relaxed_order', true),
      set_config('hnsw.ef_search', ${String(Math.min(1000, Math.max(MIN_EF_SEARCH, cand)))}, true),
      set_config('hnsw.max_scan_tuples', ${String(MAX_SCAN_TUPLES)}, true),
      ${count} as n`);
  const n = Number((res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  return cap > 0 && n < cap ? 'exact' : 'ann';
}

/** `vec(id, r, d, created_at)`: the `cand` nearest rows by cosine distance, ranked. `q` is the query vector (see `queryVector`). */
export function vectorCtes(spec: VectorCteSpec, cand: number, path: VectorPath, q: SQL): SQL[] {
  const expr = vectorExpr('t', spec.vector.dim);
  const where = sql.join([spec.scope, sql`t.embedding_dim = ${spec.vector.dim}`, ...spec.filters], sql` and `);
  const near = sql`select t.id, (${expr} <=> ${q}) as d, t.created_at from ${sql.raw(spec.table)} t where ${where}`;
  // `order by d` is the indexed expression itself, so the HNSW index serves it; `offset 0` keeps the subquery from
  // being flattened, which hides the ordering from the index and forces the exact sort. The relaxed iterative scan
  // may return rows slightly out of order, so both paths rank by the distance they computed.
  const nearest =
    path === 'exact' ? sql`select * from (${near} offset 0) s order by d limit ${cand}` : sql`${near} order by d limit ${cand}`;
  return [sql`vec_near as materialized (${nearest})`, sql`vec as (select id, rank() over (order by d) as r, d, created_at from vec_near)`];
}
