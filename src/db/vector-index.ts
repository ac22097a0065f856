// Per-dimension HNSW indexes over the dimensionless `embedding` columns (passages, messages).
//
// One `vector` column holds embeddings of any size, so no single HNSW index can cover it. Instead each dimension in
// use gets a partial expression index `((embedding::vector(d))) WHERE embedding_dim = d`; queries must use exactly
// the same expression (see `vectorExpr`) or the planner ignores the index. 2001–4000 dimensions go through halfvec
// (HNSW's limit for vector is 2000); above that there is no index and search is an exact scan.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';

export type VectorTable = 'passages' | 'messages' | 'file_chunks';

const MAX_VECTOR_INDEX_DIM = 2000;
const MAX_HALFVEC_INDEX_DIM = 4000;

type Kind = { type: 'vector' | 'halfvec'; ops: string } | null;

function indexKind(dim: number): Kind {
  if (dim <= MAX_VECTOR_INDEX_DIM) return { type: 'vector', ops: 'vector_cosine_ops' };
  if (dim <= MAX_HALFVEC_INDEX_DIM) return { type: 'halfvec', ops: 'halfvec_cosine_ops' };
  return null;
}

function checkDim(dim: number): number {
  if (!Number.isInteger(dim) || dim < 1 || dim > 16000) throw new Error(`invalid embedding dimension ${dim}`);
  return dim;
}

/** The column cast the index is built on; `alias` is the table alias used in the query. */
export function vectorExpr(alias: string, dim: number): SQL {
  const kind = indexKind(checkDim(dim));
  const col = sql.raw(`${alias}.embedding`);
  return kind ? sql`(${col}::${sql.raw(`${kind.type}(${dim})`)})` : col;
}

/** A query vector literal cast to the same type as `vectorExpr`. */
export function queryVector(vec: number[], dim: number): SQL {
  const kind = indexKind(checkDim(dim));
  const literal = `[${vec.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;
  return kind ? sql`${literal}::${sql.raw(`${kind.type}(${dim})`)}` : sql`${literal}::vector`;
}

export function indexName(table: VectorTable, dim: number): string {
  return `${table}_embedding_hnsw_${dim}`;
}

const ensured = new WeakMap<object, Set<string>>();

/**
 * Creates the HNSW index for (table, dim) once. Concurrent callers (several processes) serialise on an advisory
 * lock, so two `CREATE INDEX IF NOT EXISTS` never race on the catalog.
 */
export async function ensureVectorIndex(db: Db, table: VectorTable, dim: number): Promise<void> {
  const kind = indexKind(checkDim(dim));
  if (!kind) return;
  const name = indexName(table, dim);
  const seen = ensured.get(db) ?? new Set<string>();
  ensured.set(db, seen);
  if (seen.has(name)) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
    await tx.execute(
      sql.raw(
        `create index if not exists ${name} on ${table} using hnsw ((embedding::${kind.type}(${dim})) ${kind.ops}) ` +
          `where embedding_dim = ${dim}`,
      ),
    );
  });
  seen.add(name);
}
