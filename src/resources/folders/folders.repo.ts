// SQL for folders, their files and the agent↔folder links.
import { and, asc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentFolders, folderFiles, folders } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import type { FileRow, FolderRow } from './folders.mapper.js';

export type FolderInsert = typeof folders.$inferInsert;
export type FileInsert = typeof folderFiles.$inferInsert;

export async function insertFolder(db: Db, row: FolderInsert): Promise<FolderRow | undefined> {
  const [r] = await db.insert(folders).values(row).onConflictDoNothing().returning();
  return r;
}

export async function findFolder(db: Db, orgId: string, id: string): Promise<FolderRow | undefined> {
  const [r] = await db
    .select()
    .from(folders)
    .where(and(eq(folders.organizationId, orgId), eq(folders.id, id)));
  return r;
}

export async function updateFolderRow(db: Db, orgId: string, id: string, patch: Partial<FolderInsert>): Promise<FolderRow | undefined> {
  const [r] = await db
    .update(folders)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(folders.organizationId, orgId), eq(folders.id, id)))
    .returning();
  return r;
}

export async function deleteFolderRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(folders)
    .where(and(eq(folders.organizationId, orgId), eq(folders.id, id)))
    .returning({ id: folders.id });
  return r.length > 0;
}

export async function listFolderRows(db: Db, orgId: string, f: { name?: string; agentId?: string }, page: Page): Promise<FolderRow[]> {
  const p = pageClauses({ table: folders, createdAt: folders.createdAt, id: folders.id }, page);
  const conds: (SQL | undefined)[] = [eq(folders.organizationId, orgId), p.where];
  if (f.name) conds.push(eq(folders.name, f.name));
  if (f.agentId) conds.push(sql`${folders.id} in (select folder_id from agent_folders where agent_id = ${f.agentId})`);
  const rows = await db
    .select()
    .from(folders)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

export async function countFolders(db: Db, orgId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(folders).where(eq(folders.organizationId, orgId));
  return Number(r?.n ?? 0);
}

export async function agentIdsOfFolder(db: Db, orgId: string, folderId: string): Promise<string[]> {
  const rows = await db
    .select({ id: agentFolders.agentId })
    .from(agentFolders)
    .where(and(eq(agentFolders.organizationId, orgId), eq(agentFolders.folderId, folderId)))
    .orderBy(agentFolders.createdAt);
  return rows.map((r) => r.id);
}

export async function findFile(
  db: Db,
  orgId: string,
  folderId: string | null,
  id: string,
  withContent = true,
): Promise<FileRow | undefined> {
  const conds = [eq(folderFiles.organizationId, orgId), eq(folderFiles.id, id)];
  if (folderId) conds.push(eq(folderFiles.folderId, folderId));
  const [r] = await db
    .select(fileColumns(withContent))
    .from(folderFiles)
    .where(and(...conds));
  return r;
}

export async function findFileByName(db: Db, folderId: string, fileName: string): Promise<FileRow | undefined> {
  const [r] = await db
    .select(fileColumns(false))
    .from(folderFiles)
    .where(and(eq(folderFiles.folderId, folderId), eq(folderFiles.fileName, fileName)));
  return r;
}

export async function fileNamesLike(db: Db, folderId: string, prefix: string): Promise<string[]> {
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .select({ n: folderFiles.fileName })
    .from(folderFiles)
    .where(and(eq(folderFiles.folderId, folderId), sql`${folderFiles.fileName} like ${like}`));
  return rows.map((r) => r.n);
}

/** File columns with the extracted text only when asked for (it can be megabytes a file). */
function fileColumns(withContent: boolean) {
  return { ...getTableColumns(folderFiles), content: withContent ? folderFiles.content : sql<string | null>`null` };
}

export async function listFileRows(db: Db, orgId: string, folderId: string, page: Page, withContent = false): Promise<FileRow[]> {
  const p = pageClauses({ table: folderFiles, createdAt: folderFiles.createdAt, id: folderFiles.id }, page);
  const rows = await db
    .select(fileColumns(withContent))
    .from(folderFiles)
    .where(and(eq(folderFiles.organizationId, orgId), eq(folderFiles.folderId, folderId), p.where))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

export async function updateFileRow(db: Db, id: string, patch: Partial<FileInsert>): Promise<FileRow | undefined> {
  const [r] = await db
    .update(folderFiles)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(folderFiles.id, id))
    .returning(fileColumns('content' in patch));
  return r;
}

export async function deleteFileRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(folderFiles)
    .where(and(eq(folderFiles.organizationId, orgId), eq(folderFiles.id, id)))
    .returning({ id: folderFiles.id });
  return r.length > 0;
}

export async function insertFileRow(db: Db, row: FileInsert): Promise<FileRow> {
  const [r] = await db.insert(folderFiles).values(row).returning();
  return r!;
}

/** The folders attached to each of these agents, by folder name (AgentState.sources). */
export async function foldersOfAgents(db: Db, agentIds: string[]): Promise<{ agentId: string; folder: FolderRow }[]> {
  if (agentIds.length === 0) return [];
  return db
    .select({ agentId: agentFolders.agentId, folder: folders })
    .from(agentFolders)
    .innerJoin(folders, eq(folders.id, agentFolders.folderId))
    .where(inArray(agentFolders.agentId, agentIds))
    .orderBy(asc(folders.name));
}
