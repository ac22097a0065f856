// Recall memory: search over every stored message of an agent (evicted ones included), hybrid when messages
// carry embeddings, full-text otherwise; empty query lists the newest messages in range.
import { and, asc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { messages } from '../db/schema/index.js';
import { ensureVectorIndex } from '../db/vector-index.js';
import type { RecallAccess, RecallHit } from '../tools/tool.js';
import { loadAgentForMemory } from './archival.js';
import { embedQuery, embedTexts, type MemoryDeps } from './embedding.js';
import { hybridSearch, type SearchMode } from './hybrid-search.js';
import type { Relevance } from './passage-search.js';

export type RecallScope = { agentId: string; orgId: string };
/** Roles searched when the caller names none: tool output and system prompts are noise as search hits. */
const DEFAULT_RECALL_ROLES = ['user', 'assistant'];

const SEARCH_CALL = String.raw`^(conversation_search|archival_memory_search)\(`;

export type MessageQuery = {
  orgId: string;
  agentId?: string;
  conversationId?: string;
  query?: string;
  roles?: string[];
  start?: Date;
  end?: Date;
  limit: number;
  offset?: number;
  embeddingConfig: Record<string, unknown> | null;
  mode?: SearchMode;
};

export type RawMessageHit = {
  id: string;
  agent_id: string;
  conversation_id: string | null;
  role: string;
  text: string;
  content: unknown;
  created_at: Date | string;
  relevance: Relevance;
};

const COLUMNS = sql.raw('t.id, t.agent_id, t.conversation_id, t.role, t.text, t.content, t.created_at');

function scopeAndFilters(q: MessageQuery): { scope: SQL; filters: SQL[] } {
  const scope = q.agentId ? sql`t.organization_id = ${q.orgId} and t.agent_id = ${q.agentId}` : sql`t.organization_id = ${q.orgId}`;
  const roles = q.roles?.length ? q.roles : DEFAULT_RECALL_ROLES;
  // A message that is only the agent's own memory-search call repeats the query's words by construction: it would
  // outrank the memory being looked for, so it is never a hit.
  const filters: SQL[] = [
    sql`t.role in (${sql.join(
      roles.map((r) => sql`${r}`),
      sql`, `,
    )})`,
    sql`t.text <> ''`,
    sql`t.text !~ ${SEARCH_CALL}`,
  ];
  if (q.conversationId) filters.push(sql`t.conversation_id = ${q.conversationId}`);
  if (q.start) filters.push(sql`t.created_at >= ${q.start.toISOString()}::timestamptz`);
  if (q.end) filters.push(sql`t.created_at <= ${q.end.toISOString()}::timestamptz`);
  return { scope, filters };
}

export async function searchMessages(deps: MemoryDeps, q: MessageQuery): Promise<RawMessageHit[]> {
  const { scope, filters } = scopeAndFilters(q);
  const text = q.query?.trim() ?? '';
  const limit = q.limit + (q.offset ?? 0);
  let rows: Record<string, unknown>[];
  if (text === '') {
    const res = await deps.db.execute(sql`select ${COLUMNS}, 0::float8 as rrf_score, null::int as vector_rank, null::int as fts_rank
      from messages t where ${sql.join([scope, ...filters], sql` and `)} order by t.seq desc limit ${limit}`);
    rows = (res as { rows: Record<string, unknown>[] }).rows;
  } else {
    if (q.mode !== 'fts' && q.agentId) await embedSomePending(deps, { agentId: q.agentId, orgId: q.orgId });
    const vec = q.mode === 'fts' ? null : await embedQuery(deps.embedderFor, q.embeddingConfig, text);
    const vector = vec ? { values: vec, dim: vec.length } : null;
    rows = await hybridSearch(deps.db, { table: 'messages', scope, filters, columns: COLUMNS, text, vector, limit, mode: q.mode });
  }
  return rows.slice(q.offset ?? 0).map((r) => ({
    ...(r as unknown as RawMessageHit),
    relevance: { rrf_score: Number(r.rrf_score), vector_rank: (r.vector_rank as number) ?? null, fts_rank: (r.fts_rank as number) ?? null },
  }));
}

export type MemoryRecallAccess = {
  search(q: Parameters<RecallAccess['search']>[0] & { offset?: number }): Promise<(RecallHit & { relevance: Relevance })[]>;
};

export function createRecallAccess(deps: MemoryDeps, scope: RecallScope): MemoryRecallAccess {
  return {
    async search(q) {
      const agent = await loadAgentForMemory(deps.db, scope.orgId, scope.agentId);
      const hits = await searchMessages(deps, {
        orgId: scope.orgId,
        agentId: scope.agentId,
        query: q.query,
        roles: q.roles,
        start: q.startDate,
        end: q.endDate,
        limit: q.limit ?? 5,
        offset: q.offset,
        embeddingConfig: agent?.embeddingConfig ?? null,
      });
      return hits.map((h) => ({ id: h.id, date: new Date(h.created_at), role: h.role, text: h.text, relevance: h.relevance }));
    },
  };
}

/**
 * Messages are embedded lazily: a search first embeds one batch of the agent's messages that have no vector yet
 * (best effort; full text covers the rest), so no background traffic follows every turn.
 */
async function embedSomePending(deps: MemoryDeps, scope: RecallScope): Promise<void> {
  await embedPendingMessages(deps, scope).catch(() => 0);
}

/** Embeds the agent's stored messages that have none yet (a few hundred per call); returns how many. */
export async function embedPendingMessages(deps: MemoryDeps, scope: RecallScope, batch = 256): Promise<number> {
  const agent = await loadAgentForMemory(deps.db, scope.orgId, scope.agentId);
  if (!agent?.embeddingConfig || !deps.embedderFor(agent.embeddingConfig)) return 0;
  const pending = await deps.db
    .select({ id: messages.id, text: messages.text })
    .from(messages)
    .where(
      and(
        eq(messages.agentId, scope.agentId),
        isNull(messages.embedding),
        ne(messages.text, ''),
        inArray(messages.role, ['user', 'assistant']),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(batch);
  if (pending.length === 0) return 0;
  const vectors = (await embedTexts(
    deps.embedderFor,
    agent.embeddingConfig,
    pending.map((p) => p.text.slice(0, 8000)),
  ))!;
  await ensureVectorIndex(deps.db, 'messages', vectors[0]!.length);
  const values = sql.join(
    pending.map((p, i) => sql`(${p.id}::text, ${`[${vectors[i]!.join(',')}]`}::vector, ${vectors[i]!.length}::int)`),
    sql`, `,
  );
  await deps.db.execute(
    sql`update messages m set embedding = v.e, embedding_dim = v.d from (values ${values}) as v(id, e, d) where m.id = v.id`,
  );
  return pending.length;
}

const _assignable = (a: MemoryRecallAccess): RecallAccess => a;
void _assignable;
