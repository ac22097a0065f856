// SQL on archives that archival memory needs (an agent's archives, its own archive's creation); the archives
// resource uses the same functions.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { ArchiveInsert, ArchiveRow } from '../db/rows.js';
import { agentArchives, archives } from '../db/schema/index.js';

export async function insertArchive(db: Db, row: ArchiveInsert): Promise<ArchiveRow> {
  const [r] = await db.insert(archives).values(row).returning();
  return r!;
}

export async function findArchive(db: Db, orgId: string, id: string): Promise<ArchiveRow | undefined> {
  const [r] = await db
    .select()
    .from(archives)
    .where(and(eq(archives.organizationId, orgId), eq(archives.id, id)));
  return r;
}

export async function archivesOfAgent(db: Db, orgId: string, agentId: string): Promise<(ArchiveRow & { isOwner: boolean })[]> {
  const rows = await db
    .select({ a: archives, isOwner: agentArchives.isOwner })
    .from(agentArchives)
    .innerJoin(archives, eq(archives.id, agentArchives.archiveId))
    .where(and(eq(agentArchives.agentId, agentId), eq(archives.organizationId, orgId)))
    .orderBy(sql`${agentArchives.isOwner} desc`, archives.createdAt);
  return rows.map((r) => ({ ...r.a, isOwner: r.isOwner }));
}

export async function linkArchive(db: Db, orgId: string, agentId: string, archiveId: string, isOwner: boolean): Promise<void> {
  await db.insert(agentArchives).values({ agentId, archiveId, organizationId: orgId, isOwner }).onConflictDoNothing();
}
