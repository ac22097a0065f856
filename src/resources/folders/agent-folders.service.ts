// Agent side of folders: attach/detach (file tools + file window), the agent's files, open/close.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agentFileViews, agentFolders } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { assertAgentExists, linkTools, unlinkTools } from '../agents/agents.repo.js';
import { ensureFileTools } from './file-tools.js';
import { addFilesToAgent, filesOfFolder, refreshDirectories, renderView, viewRows, windowLimits } from './file-window.js';
import { closeFiles, openFile } from './file-window-ops.js';
import * as repo from './folders.repo.js';
import type { AgentFile, AgentFilesQuery } from './folders.schemas.js';

export function createAgentFoldersService(deps: { db: Db }) {
  const { db } = deps;
  const must = async (actor: Actor, agentId: string, folderId?: string) => {
    await assertAgentExists(db, actor.orgId, agentId);
    if (folderId && !(await repo.findFolder(db, actor.orgId, folderId))) throw notFound('Folder', folderId);
  };
  return {
    async attach(actor: Actor, agentId: string, folderId: string): Promise<void> {
      await must(actor, agentId, folderId);
      await db.insert(agentFolders).values({ agentId, folderId, organizationId: actor.orgId }).onConflictDoNothing();
      const tools = await ensureFileTools(db, actor.orgId);
      await linkTools(
        db,
        actor.orgId,
        agentId,
        tools.map((t) => t.id),
      );
      await addFilesToAgent(db, actor.orgId, agentId, await filesOfFolder(db, folderId));
      await refreshDirectories(db, actor.orgId, agentId);
    },
    async detach(actor: Actor, agentId: string, folderId: string): Promise<void> {
      await must(actor, agentId, folderId);
      await db.delete(agentFolders).where(and(eq(agentFolders.agentId, agentId), eq(agentFolders.folderId, folderId)));
      await db.delete(agentFileViews).where(and(eq(agentFileViews.agentId, agentId), eq(agentFileViews.folderId, folderId)));
      const left = await db.select({ id: agentFolders.folderId }).from(agentFolders).where(eq(agentFolders.agentId, agentId)).limit(1);
      if (left.length === 0)
        await unlinkTools(
          db,
          agentId,
          (await ensureFileTools(db, actor.orgId)).map((t) => t.id),
        );
      await refreshDirectories(db, actor.orgId, agentId);
    },
    async listFiles(
      actor: Actor,
      agentId: string,
      q: AgentFilesQuery,
    ): Promise<{ files: AgentFile[]; next_cursor: string | null; has_more: boolean }> {
      await must(actor, agentId);
      const { perFileChars } = await windowLimits(db, actor.orgId, agentId);
      const rows = await viewRows(db, actor.orgId, agentId, { withContent: true, isOpen: q.is_open });
      const from = q.cursor ? rows.findIndex((r) => r.fileId === q.cursor) + 1 : 0;
      const limit = q.limit ?? 100;
      const page = rows.slice(from, from + limit);
      const files = page.map((v): AgentFile => {
        const view = v.isOpen ? renderView(v, perFileChars) : null;
        return {
          id: v.fileId,
          agent_id: agentId,
          file_id: v.fileId,
          file_name: v.fileName,
          folder_id: v.folderId,
          folder_name: v.folderName,
          is_open: v.isOpen,
          last_accessed_at: v.lastAccessedAt.toISOString(),
          visible_content: view?.text ?? null,
          start_line: view ? view.range.start : null,
          end_line: view ? view.range.end : null,
        };
      });
      const hasMore = from + limit < rows.length;
      return { files, next_cursor: hasMore ? (files[files.length - 1]?.id ?? null) : null, has_more: hasMore };
    },
    async open(actor: Actor, agentId: string, fileId: string): Promise<string[]> {
      await must(actor, agentId);
      const closed = await openFile(db, actor.orgId, agentId, fileId);
      if (!closed) throw notFound('File', fileId);
      return closed;
    },
    async close(actor: Actor, agentId: string, fileId: string): Promise<null> {
      await must(actor, agentId);
      const [v] = await viewRows(db, actor.orgId, agentId, { withContent: false, fileId });
      if (!v) throw notFound('File', fileId);
      await closeFiles(db, actor.orgId, agentId, [fileId]);
      return null;
    },
    async closeAll(actor: Actor, agentId: string): Promise<string[]> {
      await must(actor, agentId);
      return closeFiles(db, actor.orgId, agentId, 'all');
    },
  };
}

export type AgentFoldersService = ReturnType<typeof createAgentFoldersService>;
