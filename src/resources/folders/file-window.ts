// An agent's file window in the database: which files it sees, open or closed, with what range; LRU closing beyond
// max_files_open; and the rendered `<directories>` text kept in agents.extras for the system message compiler.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentFileViews, agentFolders, agents, folderFiles, folders } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { fileLines, fileWindowDefaults, renderDirectories, visibleContent, type DirFolder } from './file-view.js';

export type WindowLimits = { maxFilesOpen: number; perFileChars: number };

export async function windowLimits(db: Db, orgId: string, agentId: string): Promise<WindowLimits> {
  const [a] = await db
    .select({ llm: agents.llmConfig, max: agents.maxFilesOpen, per: agents.perFileViewWindowCharLimit })
    .from(agents)
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, agentId)));
  if (!a) throw notFound('Agent', agentId);
  const d = fileWindowDefaults(Number(a.llm.context_window) || null);
  return { maxFilesOpen: a.max ?? d.maxFilesOpen, perFileChars: a.per ?? d.perFileChars };
}

export type ViewRow = {
  fileId: string;
  folderId: string;
  fileName: string;
  folderName: string;
  isOpen: boolean;
  startLine: number | null;
  lineCount: number | null;
  lastAccessedAt: Date;
  content: string | null;
  fileType: string | null;
};

export async function viewRows(
  db: Db,
  orgId: string,
  agentId: string,
  o: { withContent: boolean; isOpen?: boolean; fileId?: string },
): Promise<ViewRow[]> {
  const conds = [eq(agentFileViews.organizationId, orgId), eq(agentFileViews.agentId, agentId)];
  if (o.isOpen !== undefined) conds.push(eq(agentFileViews.isOpen, o.isOpen));
  if (o.fileId) conds.push(eq(agentFileViews.fileId, o.fileId));
  return db
    .select({
      fileId: agentFileViews.fileId,
      folderId: agentFileViews.folderId,
      fileName: folderFiles.fileName,
      folderName: folders.name,
      isOpen: agentFileViews.isOpen,
      startLine: agentFileViews.startLine,
      lineCount: agentFileViews.lineCount,
      lastAccessedAt: agentFileViews.lastAccessedAt,
      fileType: folderFiles.fileType,
      content: o.withContent ? sql<string | null>`case when ${agentFileViews.isOpen} then ${folderFiles.content} end` : sql<null>`null`,
    })
    .from(agentFileViews)
    .innerJoin(folderFiles, eq(folderFiles.id, agentFileViews.fileId))
    .innerJoin(folders, eq(folders.id, agentFileViews.folderId))
    .where(and(...conds))
    .orderBy(asc(folderFiles.fileName));
}

export function renderView(v: Pick<ViewRow, 'content' | 'fileType' | 'fileName' | 'startLine' | 'lineCount'>, limit: number) {
  return visibleContent(fileLines(v.content ?? '', v.fileType, v.fileName), v.startLine, v.lineCount, limit);
}

/** Re-renders the agent's `<directories>` into agents.extras (the compiler reads it; a change recompiles the prompt). */
export async function refreshDirectories(db: Db, orgId: string, agentId: string): Promise<void> {
  const limits = await windowLimits(db, orgId, agentId);
  const linked = await db
    .select({ id: folders.id, name: folders.name, description: folders.description, instructions: folders.instructions })
    .from(agentFolders)
    .innerJoin(folders, eq(folders.id, agentFolders.folderId))
    .where(and(eq(agentFolders.agentId, agentId), eq(agentFolders.organizationId, orgId)))
    .orderBy(asc(folders.name));
  const views = await viewRows(db, orgId, agentId, { withContent: true });
  const dirs: DirFolder[] = linked.map((f) => ({
    name: f.name,
    description: f.description,
    instructions: f.instructions,
    files: views
      .filter((v) => v.folderId === f.id)
      .map((v) => ({
        name: v.fileName,
        isOpen: v.isOpen,
        limit: limits.perFileChars,
        value: v.isOpen ? renderView(v, limits.perFileChars).text : '',
      })),
  }));
  const text = renderDirectories(dirs, limits.maxFilesOpen);
  await db.execute(sql`update agents set extras = coalesce(extras, '{}'::jsonb) || jsonb_build_object('directories', ${text}::text)
    where id = ${agentId} and organization_id = ${orgId}`);
}

/** Closes the least recently accessed open files beyond the limit, keeping `keep`; returns the closed names. */
export async function enforceLru(db: Db, orgId: string, agentId: string, max: number, keep: string[] = []): Promise<string[]> {
  const open = await db
    .select({ fileId: agentFileViews.fileId, name: folderFiles.fileName })
    .from(agentFileViews)
    .innerJoin(folderFiles, eq(folderFiles.id, agentFileViews.fileId))
    .where(and(eq(agentFileViews.agentId, agentId), eq(agentFileViews.organizationId, orgId), eq(agentFileViews.isOpen, true)))
    .orderBy(desc(agentFileViews.lastAccessedAt));
  const kept = open.filter((o) => keep.includes(o.fileId));
  const rest = open.filter((o) => !keep.includes(o.fileId));
  const close = rest.slice(Math.max(0, max - kept.length));
  if (close.length === 0) return [];
  await db
    .update(agentFileViews)
    .set({ isOpen: false })
    .where(
      and(
        eq(agentFileViews.agentId, agentId),
        inArray(
          agentFileViews.fileId,
          close.map((c) => c.fileId),
        ),
      ),
    );
  return close.map((c) => c.name);
}

/** Puts files into the window of an agent (opened, LRU-closing older ones). */
export async function addFilesToAgent(db: Db, orgId: string, agentId: string, files: { id: string; folderId: string }[]): Promise<void> {
  if (files.length === 0) return;
  const now = new Date();
  await db
    .insert(agentFileViews)
    .values(
      files.map((f, i) => ({
        agentId,
        fileId: f.id,
        folderId: f.folderId,
        organizationId: orgId,
        isOpen: true,
        lastAccessedAt: new Date(now.getTime() + i),
      })),
    )
    .onConflictDoNothing();
  const { maxFilesOpen } = await windowLimits(db, orgId, agentId);
  await enforceLru(db, orgId, agentId, maxFilesOpen);
}

/** A newly processed file appears in the window of every agent its folder is attached to. */
export async function addFileToAttachedAgents(db: Db, orgId: string, file: { id: string; folderId: string }): Promise<string[]> {
  const rows = await db.select({ agentId: agentFolders.agentId }).from(agentFolders).where(eq(agentFolders.folderId, file.folderId));
  for (const r of rows) {
    await addFilesToAgent(db, orgId, r.agentId, [file]);
    await refreshDirectories(db, orgId, r.agentId);
  }
  return rows.map((r) => r.agentId);
}

export async function filesOfFolder(db: Db, folderId: string): Promise<{ id: string; folderId: string }[]> {
  return db
    .select({ id: folderFiles.id, folderId: folderFiles.folderId })
    .from(folderFiles)
    .where(eq(folderFiles.folderId, folderId))
    .orderBy(asc(folderFiles.createdAt));
}
