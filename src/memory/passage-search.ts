// Archival search used by the REST endpoints and the agent's tools alike.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { embedQuery, type MemoryDeps } from './embedding.js';
import { hybridSearch, type SearchMode } from './hybrid-search.js';

export type PassageQuery = {
  orgId: string;
  /** Exactly one scope: the agent's archives, one archive, or the whole organization. */
  agentId?: string;
  archiveId?: string;
  query: string;
  tags?: string[];
  tagMatchMode?: 'any' | 'all';
  start?: Date;
  end?: Date;
  limit: number;
  /** Embedding model for the query vector; null → full-text only. */
  embeddingConfig: Record<string, unknown> | null;
  mode?: SearchMode;
};

export type Relevance = { rrf_score: number; vector_rank: number | null; fts_rank: number | null };
/** The columns raw search SQL selects (alias `t`), everything but the vector. */
export type RawPassage = {
  id: string;
  archive_id: string;
  text: string;
  tags: string[] | null;
  metadata: Record<string, unknown> | null;
  embedding_config: Record<string, unknown> | null;
  source_id: string | null;
  file_id: string | null;
  file_name: string | null;
  organization_id: string;
  created_at: Date | string;
  updated_at: Date | string;
};

export type PassageHit = { passage: RawPassage; relevance: Relevance };

const COLUMNS = sql.raw(
  't.id, t.archive_id, t.text, t.tags, t.metadata, t.embedding_config, t.source_id, t.file_id, t.file_name, ' +
    't.organization_id, t.created_at, t.updated_at',
);

export function passageFilters(q: Pick<PassageQuery, 'tags' | 'tagMatchMode' | 'start' | 'end'>): SQL[] {
  const out: SQL[] = [];
  if (q.tags?.length) {
    const arr = sql`${`{${q.tags.map((t) => `"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`;
    out.push(q.tagMatchMode === 'all' ? sql`t.tags @> ${arr}` : sql`t.tags && ${arr}`);
  }
  if (q.start) out.push(sql`t.created_at >= ${q.start.toISOString()}::timestamptz`);
  if (q.end) out.push(sql`t.created_at <= ${q.end.toISOString()}::timestamptz`);
  return out;
}

/**
 * The searched slice as literal archive ids: with constants (not a subquery) the planner knows how many rows an
 * archive holds and reads a small one through `passages_org_archive_dim_idx` instead of filtering the whole table.
 */
async function scopeOf(deps: MemoryDeps, q: PassageQuery): Promise<SQL | null> {
  const org = sql`t.organization_id = ${q.orgId}`;
  if (q.archiveId) return sql`${org} and t.archive_id = ${q.archiveId}`;
  if (!q.agentId) return org;
  const rows = await queryRows<{ id: string }>(deps.db, sql`select archive_id as id from agent_archives where agent_id = ${q.agentId}`);
  if (rows.length === 0) return null;
  return sql`${org} and t.archive_id in (${sql.join(
    rows.map((r) => sql`${r.id}`),
    sql`, `,
  )})`;
}

export async function searchPassages(deps: MemoryDeps, q: PassageQuery): Promise<PassageHit[]> {
  if (q.query.trim() === '') return [];
  const mode = q.mode ?? 'hybrid';
  const scope = await scopeOf(deps, q);
  if (!scope) return [];
  const vec = mode === 'fts' ? null : await embedQuery(deps.embedderFor, q.embeddingConfig, q.query);
  const rows = await hybridSearch(deps.db, {
    table: 'passages',
    scope,
    filters: passageFilters(q),
    columns: COLUMNS,
    text: q.query,
    vector: vec ? { values: vec, dim: vec.length } : null,
    limit: q.limit,
    mode,
  });
  return rows.map((r) => ({
    passage: r as unknown as RawPassage,
    relevance: { rrf_score: Number(r.rrf_score), vector_rank: r.vector_rank ?? null, fts_rank: r.fts_rank ?? null },
  }));
}
