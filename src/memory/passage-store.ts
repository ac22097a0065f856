// Writing and reading passages: batched embedding + batched insert (passage-insert.ts), an agent's default archive, listing.
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { passages } from '../db/schema/index.js';
import { newId } from '../ids.js';
import { archivesOfAgent, insertArchive, linkArchive } from './archive-rows.js';
import { embedTexts, type MemoryDeps } from './embedding.js';
import { insertPassageRows, type InsertedPassage } from './passage-insert.js';
import type { ArchiveRow, PassageRow } from '../db/rows.js';

export type NewPassage = { text: string; tags?: string[] | null; metadata?: Record<string, unknown> | null; createdAt?: Date };
type AgentLike = { id: string; name: string; embeddingConfig: Record<string, unknown> | null };

/** Inserts passages into one archive, embedding them (batched) when the archive has an embedding model. */
export async function insertPassages(
  deps: MemoryDeps,
  orgId: string,
  archive: ArchiveRow,
  items: NewPassage[],
): Promise<InsertedPassage[]> {
  const cfg = archive.embeddingConfig ?? null;
  const vectors = await embedTexts(
    deps.embedderFor,
    cfg,
    items.map((p) => p.text),
  );
  const rows = items.map((p, i) => ({
    id: newId('passage'),
    organizationId: orgId,
    archiveId: archive.id,
    text: p.text,
    tags: [...new Set(p.tags ?? [])],
    metadata: p.metadata ?? {},
    embedding: vectors?.[i] ?? null,
    embeddingDim: vectors?.[i]?.length ?? null,
    embeddingConfig: vectors ? cfg : null,
    ...(p.createdAt && { createdAt: p.createdAt, updatedAt: p.createdAt }),
  }));
  return insertPassageRows(deps.db, rows);
}

/** The agent's own archive, created on first use (one per agent even under concurrent inserts). */
export async function ensureDefaultArchive(db: Db, orgId: string, agent: AgentLike): Promise<ArchiveRow> {
  const own = (await archivesOfAgent(db, orgId, agent.id)).find((a) => a.isOwner);
  if (own) return own;
  return db.transaction(async (t) => {
    const tx: Db = t;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`default-archive:${agent.id}`}))`);
    const again = (await archivesOfAgent(tx, orgId, agent.id)).find((a) => a.isOwner);
    if (again) return again;
    const archive = await insertArchive(tx, {
      id: newId('archive'),
      organizationId: orgId,
      name: `${agent.name}'s Archive`,
      description: 'Created automatically for the agent on its first archival insert',
      embeddingConfig: agent.embeddingConfig,
    });
    await linkArchive(tx, orgId, agent.id, archive.id, true);
    return archive;
  });
}

export type ListPassagesOpts = { after?: string; before?: string; limit: number; search?: string; ascending: boolean };

/** Passages of every archive the agent is attached to, in created order, with (created_at, id) cursors. */
export async function listAgentPassages(db: Db, orgId: string, agentId: string, o: ListPassagesOpts): Promise<PassageRow[]> {
  const conds: SQL[] = [eq(passages.organizationId, orgId), agentScope(agentId)];
  const cursor = (id: string) => sql`(select created_at, id from passages where id = ${id})`;
  const fwd = o.ascending ? sql`>` : sql`<`;
  const back = o.ascending ? sql`<` : sql`>`;
  if (o.after) conds.push(sql`(${passages.createdAt}, ${passages.id}) ${fwd} ${cursor(o.after)}`);
  if (o.before) conds.push(sql`(${passages.createdAt}, ${passages.id}) ${back} ${cursor(o.before)}`);
  if (o.search) conds.push(ilike(passages.text, `%${o.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const dir = o.ascending ? asc : desc;
  return db
    .select()
    .from(passages)
    .where(and(...conds))
    .orderBy(dir(passages.createdAt), dir(passages.id))
    .limit(o.limit);
}

export function agentScope(agentId: string): SQL {
  return sql`${passages.archiveId} = any(array(select archive_id from agent_archives where agent_id = ${agentId}))`;
}

export async function deletePassages(db: Db, orgId: string, ids: string[], scope?: SQL): Promise<number> {
  const where = and(eq(passages.organizationId, orgId), inArray(passages.id, ids), scope);
  return (await db.delete(passages).where(where).returning({ id: passages.id })).length;
}
