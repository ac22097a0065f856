// SQL for archives and the agent↔archive links.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentArchives, archives } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import type { ArchiveInsert, ArchiveRow } from '../../db/rows.js';

export async function updateArchiveRow(db: Db, orgId: string, id: string, patch: Partial<ArchiveInsert>): Promise<ArchiveRow | undefined> {
  const [r] = await db
    .update(archives)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(archives.organizationId, orgId), eq(archives.id, id)))
    .returning();
  return r;
}

export async function deleteArchiveRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(archives)
    .where(and(eq(archives.organizationId, orgId), eq(archives.id, id)))
    .returning({ id: archives.id });
  return r.length > 0;
}

export async function listArchiveRows(db: Db, orgId: string, f: { name?: string; agentId?: string }, page: Page): Promise<ArchiveRow[]> {
  const p = pageClauses({ table: archives, createdAt: archives.createdAt, id: archives.id }, page);
  const conds: (SQL | undefined)[] = [eq(archives.organizationId, orgId), p.where];
  if (f.name) conds.push(eq(archives.name, f.name));
  if (f.agentId) conds.push(sql`${archives.id} in (select archive_id from agent_archives where agent_id = ${f.agentId})`);
  const rows = await db
    .select()
    .from(archives)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

/** The agent's archives, its own (default) archive first. */
export async function unlinkArchive(db: Db, agentId: string, archiveId: string): Promise<void> {
  await db.delete(agentArchives).where(and(eq(agentArchives.agentId, agentId), eq(agentArchives.archiveId, archiveId)));
}
