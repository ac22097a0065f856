// Agent archival memory over REST, top-level passage search and message search: thin over src/memory.
import type { Actor } from '../../actor.js';
import { BadRequestError, notFound } from '../../errors.js';
import { syncDefaultArchiveModel } from '../../memory/archive-model-sync.js';
import { loadAgentForMemory } from '../../memory/archival.js';
import { splitIntoPassages } from '../../memory/chunking.js';
import { chunkCharLimit, type MemoryDeps } from '../../memory/embedding.js';
import { agentScope, deletePassages, ensureDefaultArchive, insertPassages, listAgentPassages } from '../../memory/passage-store.js';
import { searchPassages } from '../../memory/passage-search.js';
import { searchMessages } from '../../memory/recall.js';
import { parseDateBound } from '../../tools/builtin/time-format.js';
import { formatIsoInZone } from '../../tools/builtin/time-format.js';
import { findArchive } from '../../memory/archive-rows.js';
import { rawToPassage, toPassage } from './passages.mapper.js';
import type {
  AgentSearchResponse,
  CreateAgentPassage,
  ListAgentPassagesQuery,
  Passage,
  PassageSearchBody,
  PassageSearchResult,
  SearchAgentPassagesQuery,
} from './passages.schemas.js';
import type { MessageSearchBody, MessageSearchItem } from './message-search.schemas.js';

function dateBound(field: string, text: string | null | undefined, tz: string, edge: 'start' | 'end'): Date | undefined {
  if (!text?.trim()) return undefined;
  const d = parseDateBound(text.trim(), tz, edge) ?? (Number.isNaN(Date.parse(text)) ? null : new Date(text));
  if (!d) throw new BadRequestError(`${field}: expected YYYY-MM-DD or an ISO 8601 date-time, got '${text}'`);
  return d;
}

const MESSAGE_TYPES: Record<string, MessageSearchItem['message_type']> = {
  user: 'user_message',
  assistant: 'assistant_message',
  system: 'system_message',
};

export function createPassagesService(deps: MemoryDeps) {
  const { db } = deps;

  async function mustAgent(actor: Actor, agentId: string) {
    const agent = await loadAgentForMemory(db, actor.orgId, agentId);
    if (!agent) throw notFound('Agent', agentId);
    await syncDefaultArchiveModel(db, actor.orgId, agent);
    return agent;
  }

  return {
    async createForAgent(actor: Actor, agentId: string, body: CreateAgentPassage): Promise<Passage[]> {
      const agent = await mustAgent(actor, agentId);
      const archive = await ensureDefaultArchive(db, actor.orgId, agent);
      const createdAt = body.created_at ? new Date(body.created_at) : undefined;
      const pieces = splitIntoPassages(body.text, chunkCharLimit(archive.embeddingConfig));
      const rows = await insertPassages(
        deps,
        actor.orgId,
        archive,
        pieces.map((text) => ({ text, tags: body.tags, createdAt })),
      );
      return rows.map(toPassage);
    },
    async listForAgent(actor: Actor, agentId: string, q: ListAgentPassagesQuery): Promise<Passage[]> {
      await mustAgent(actor, agentId);
      const rows = await listAgentPassages(db, actor.orgId, agentId, {
        after: q.after,
        before: q.before,
        limit: q.limit ?? 100,
        search: q.search,
        ascending: q.ascending ?? true,
      });
      return rows.map(toPassage);
    },
    async deleteForAgent(actor: Actor, agentId: string, memoryId: string): Promise<{ message: string }> {
      await mustAgent(actor, agentId);
      if (!(await deletePassages(db, actor.orgId, [memoryId], agentScope(agentId)))) throw notFound('Passage', memoryId);
      return { message: `Memory id=${memoryId} successfully deleted` };
    },
    async searchForAgent(actor: Actor, agentId: string, q: SearchAgentPassagesQuery): Promise<AgentSearchResponse> {
      const agent = await mustAgent(actor, agentId);
      const hits = await searchPassages(deps, {
        orgId: actor.orgId,
        agentId,
        query: q.query,
        tags: q.tags,
        tagMatchMode: q.tag_match_mode,
        start: dateBound('start_datetime', q.start_datetime, agent.timezone, 'start'),
        end: dateBound('end_datetime', q.end_datetime, agent.timezone, 'end'),
        limit: q.top_k ?? 5,
        embeddingConfig: agent.embeddingConfig ?? null,
      });
      const results = hits.map((h) => ({
        id: h.passage.id,
        timestamp: formatIsoInZone(new Date(h.passage.created_at), agent.timezone),
        content: h.passage.text,
        tags: h.passage.tags ?? [],
        relevance: h.relevance,
      }));
      return { results, count: results.length };
    },
    async search(actor: Actor, b: PassageSearchBody): Promise<PassageSearchResult[]> {
      let embeddingConfig: Record<string, unknown> | null = null;
      if (b.agent_id) embeddingConfig = (await mustAgent(actor, b.agent_id)).embeddingConfig ?? null;
      if (b.archive_id) {
        const archive = await findArchive(db, actor.orgId, b.archive_id);
        if (!archive) throw notFound('Archive', b.archive_id);
        embeddingConfig = archive.embeddingConfig ?? embeddingConfig;
      }
      const hits = await searchPassages(deps, {
        orgId: actor.orgId,
        agentId: b.agent_id ?? undefined,
        archiveId: b.archive_id ?? undefined,
        query: b.query ?? '',
        tags: b.tags ?? undefined,
        tagMatchMode: b.tag_match_mode ?? 'any',
        start: dateBound('start_date', b.start_date, 'UTC', 'start'),
        end: dateBound('end_date', b.end_date, 'UTC', 'end'),
        limit: b.limit ?? 50,
        embeddingConfig,
      });
      return hits.map((h) => ({ passage: rawToPassage(h.passage), score: h.relevance.rrf_score, metadata: { ...h.relevance } }));
    },
    async searchMessages(actor: Actor, b: MessageSearchBody): Promise<MessageSearchItem[]> {
      const agent = b.agent_id ? await mustAgent(actor, b.agent_id) : undefined;
      const hits = await searchMessages(deps, {
        orgId: actor.orgId,
        agentId: b.agent_id ?? undefined,
        conversationId: b.conversation_id ?? undefined,
        query: b.query,
        roles: ['user', 'assistant', 'system'],
        limit: b.limit ?? 50,
        start: dateBound('start_date', b.start_date, 'UTC', 'start'),
        end: dateBound('end_date', b.end_date, 'UTC', 'end'),
        embeddingConfig: agent?.embeddingConfig ?? null,
        mode: b.search_mode ?? 'hybrid',
      });
      return hits.map((h) => ({
        message_type: MESSAGE_TYPES[h.role] ?? 'user_message',
        message_id: h.id,
        agent_id: h.agent_id,
        conversation_id: h.conversation_id,
        content: h.text,
        created_at: new Date(h.created_at).toISOString(),
        ...h.relevance,
      }));
    },
  };
}

export type PassagesService = ReturnType<typeof createPassagesService>;
