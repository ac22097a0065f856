// The agent's archival memory as its tools see it (archival_memory_insert / archival_memory_search).
// Same code path as the REST endpoints: passage-store + passage-search.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agents } from '../db/schema/index.js';
import type { ArchivalAccess, ArchivalHit } from '../tools/tool.js';

const _assignable = (a: MemoryArchivalAccess): ArchivalAccess => a;
void _assignable;
import { chunkCharLimit, type MemoryDeps } from './embedding.js';
import { syncDefaultArchiveModel } from './archive-model-sync.js';
import { splitIntoPassages } from './chunking.js';
import { ensureDefaultArchive, insertPassages } from './passage-store.js';
import { searchPassages, type Relevance } from './passage-search.js';

export type ArchivalScope = { agentId: string; orgId: string; timezone: string };
type ArchivalInsertResult = { ids: string[]; note?: string };
type ArchivalSearchHit = ArchivalHit & { relevance: Relevance };

/** Structurally an ArchivalAccess (assignable to it), with the extras the REST layer and tool results use. */
export type MemoryArchivalAccess = {
  insert(text: string, tags?: string[], createdAt?: Date): Promise<ArchivalInsertResult>;
  search(q: Parameters<ArchivalAccess['search']>[0]): Promise<ArchivalSearchHit[]>;
};

export async function loadAgentForMemory(db: Db, orgId: string, agentId: string) {
  const [row] = await db
    .select({ id: agents.id, name: agents.name, embeddingConfig: agents.embeddingConfig, timezone: agents.timezone })
    .from(agents)
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, agentId)));
  return row;
}

export function createArchivalAccess(deps: MemoryDeps, scope: ArchivalScope): MemoryArchivalAccess {
  async function agent() {
    const row = await loadAgentForMemory(deps.db, scope.orgId, scope.agentId);
    if (!row) throw new Error(`Agent ${scope.agentId} not found`);
    await syncDefaultArchiveModel(deps.db, scope.orgId, row);
    return row;
  }
  return {
    async insert(text, tags, createdAt) {
      const archive = await ensureDefaultArchive(deps.db, scope.orgId, await agent());
      const pieces = splitIntoPassages(text, chunkCharLimit(archive.embeddingConfig));
      const rows = await insertPassages(
        deps,
        scope.orgId,
        archive,
        pieces.map((p) => ({ text: p, tags, createdAt })),
      );
      const ids = rows.map((r) => r.id);
      if (ids.length <= 1) return { ids };
      return { ids, note: `The text was long, so it was stored as ${ids.length} passages split at paragraph and sentence boundaries.` };
    },
    async search(q) {
      const a = await agent();
      const hits = await searchPassages(deps, {
        orgId: scope.orgId,
        agentId: scope.agentId,
        query: q.query,
        tags: q.tags,
        tagMatchMode: q.tagMatchMode,
        start: q.startDatetime,
        end: q.endDatetime,
        limit: q.topK ?? 5,
        embeddingConfig: a.embeddingConfig ?? null,
      });
      return hits.map((h) => ({
        id: h.passage.id,
        timestamp: new Date(h.passage.created_at),
        content: h.passage.text,
        tags: h.passage.tags ?? [],
        relevance: h.relevance,
      }));
    },
  };
}
