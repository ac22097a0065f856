// Folders and files in agent files (.af): export as `sources`, `files` and each agent's `source_ids`/`files_agents`;
// import creates new folders (renamed on a name clash) and files with their content, chunked and embedded by the
// processing job, and restores each agent's file window.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentFileViews, agentFolders, folderFiles, folders } from '../../db/schema/index.js';
import { newId } from '../../ids.js';
import { fileProcessJob } from '../../resources/folders/file-process.job.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import { ensureFileTools } from './file-tools.js';
import { refreshDirectories } from './file-window.js';
import { linkTools } from '../agents/agents.repo.js';

type Obj = Record<string, unknown>;
type Ids = { idFor(kind: 'source' | 'file', dbId: string): string; lookup(kind: 'agent', dbId: string): string | undefined };

export type FolderExport = {
  sources: Obj[];
  files: Obj[];
  agentFields(dbAgentId: string): { source_ids: string[]; folder_ids: string[]; files_agents: Obj[] };
};

export async function exportFolderParts(db: Db, orgId: string, agentIds: string[], ids: Ids): Promise<FolderExport> {
  const links = agentIds.length
    ? await db
        .select()
        .from(agentFolders)
        .where(and(eq(agentFolders.organizationId, orgId), inArray(agentFolders.agentId, agentIds)))
    : [];
  const folderIds = [...new Set(links.map((l) => l.folderId))];
  const fRows = folderIds.length ? await db.select().from(folders).where(inArray(folders.id, folderIds)).orderBy(folders.createdAt) : [];
  const files = folderIds.length
    ? await db.select().from(folderFiles).where(inArray(folderFiles.folderId, folderIds)).orderBy(folderFiles.createdAt)
    : [];
  const views = agentIds.length ? await db.select().from(agentFileViews).where(inArray(agentFileViews.agentId, agentIds)) : [];
  const sources = fRows.map((f) => ({
    id: ids.idFor('source', f.id),
    name: f.name,
    description: f.description,
    instructions: f.instructions,
    metadata: f.metadata,
    embedding_config: f.embeddingConfig,
  }));
  const fileObjs = files.map((f) => ({
    id: ids.idFor('file', f.id),
    source_id: ids.idFor('source', f.folderId),
    file_name: f.fileName,
    original_file_name: f.originalFileName,
    file_path: null,
    file_type: f.fileType,
    file_size: f.fileSize,
    file_creation_date: null,
    file_last_modified_date: null,
    processing_status: f.processingStatus,
    error_message: f.errorMessage,
    total_chunks: f.totalChunks,
    chunks_embedded: f.chunksEmbedded,
    content: f.content,
  }));
  const names = new Map(files.map((f) => [f.id, f.fileName]));
  let n = 0;
  return {
    sources,
    files: fileObjs,
    agentFields(dbAgentId) {
      const src = links.filter((l) => l.agentId === dbAgentId).map((l) => ids.idFor('source', l.folderId));
      const fa = views
        .filter((v) => v.agentId === dbAgentId)
        .map((v) => ({
          id: `file_agent-${n++}`,
          agent_id: ids.lookup('agent', dbAgentId),
          file_id: ids.idFor('file', v.fileId),
          source_id: ids.idFor('source', v.folderId),
          file_name: names.get(v.fileId) ?? '',
          is_open: v.isOpen,
          visible_content: null,
          last_accessed_at: v.lastAccessedAt.toISOString(),
        }));
      return { source_ids: src, folder_ids: src, files_agents: fa };
    },
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);

/** Imports the file's sources, files and agent links inside the import transaction; `agentIds` maps file → db ids. */
export async function importFolderParts(
  tx: Db,
  orgId: string,
  file: { sources?: unknown[] | null; files?: unknown[] | null; agents: Obj[] },
  agentIds: Map<string, string>,
  defaultEmbedding: Obj | null,
): Promise<void> {
  const sourceIds = new Map<string, string>();
  for (const raw of file.sources ?? []) {
    const s = obj(raw);
    const fid = str(s?.id);
    if (!s || !fid) continue;
    const name = (str(s.name) ?? 'folder').slice(0, 200);
    const taken =
      (
        await tx
          .select({ id: folders.id })
          .from(folders)
          .where(and(eq(folders.organizationId, orgId), eq(folders.name, name)))
      ).length > 0;
    const id = newId('source');
    const cfg = obj(s.embedding_config) ?? defaultEmbedding;
    if (!cfg) continue;
    await tx.insert(folders).values({
      id,
      organizationId: orgId,
      name: taken ? `${name}_${randomBytes(4).toString('hex')}` : name,
      description: str(s.description),
      instructions: str(s.instructions),
      metadata: obj(s.metadata),
      embeddingConfig: cfg,
    });
    sourceIds.set(fid, id);
  }
  const fileIds = new Map<string, { id: string; folderId: string }>();
  for (const raw of file.files ?? []) {
    const f = obj(raw);
    const folderId = sourceIds.get(str(f?.source_id) ?? '');
    const fid = str(f?.id);
    if (!f || !fid || !folderId) continue;
    const id = newId('file');
    const content = str(f.content);
    const fileName = (str(f.file_name) ?? 'file').slice(0, 1000);
    await tx
      .insert(folderFiles)
      .values({
        id,
        organizationId: orgId,
        folderId,
        fileName,
        originalFileName: (str(f.original_file_name) ?? fileName).slice(0, 255),
        fileType: str(f.file_type),
        fileSize: content ? Buffer.byteLength(content) : 0,
        content,
        processingStatus: content === null ? 'error' : 'parsing',
        errorMessage: content === null ? 'Imported without content' : null,
      })
      .onConflictDoNothing();
    if (content !== null) await insertJob(tx, fileProcessJob({ fileId: id, orgId }));
    fileIds.set(fid, { id, folderId });
  }
  const tools = sourceIds.size ? await ensureFileTools(tx, orgId) : [];
  for (const a of file.agents) {
    const agentId = agentIds.get(str(a.id) ?? '');
    if (!agentId) continue;
    const srcs = [...new Set([...(Array.isArray(a.source_ids) ? a.source_ids : []), ...(Array.isArray(a.folder_ids) ? a.folder_ids : [])])];
    const linked = srcs.map((s) => sourceIds.get(String(s))).filter((x): x is string => Boolean(x));
    if (linked.length === 0) continue;
    await tx
      .insert(agentFolders)
      .values(linked.map((folderId) => ({ agentId, folderId, organizationId: orgId })))
      .onConflictDoNothing();
    await linkTools(
      tx,
      orgId,
      agentId,
      tools.map((t) => t.id),
    );
    for (const rawFa of Array.isArray(a.files_agents) ? a.files_agents : []) {
      const fa = obj(rawFa);
      const target = fileIds.get(str(fa?.file_id) ?? '');
      if (!fa || !target) continue;
      await tx
        .insert(agentFileViews)
        .values({ agentId, fileId: target.id, folderId: target.folderId, organizationId: orgId, isOpen: fa.is_open === true })
        .onConflictDoNothing();
    }
    await refreshDirectories(tx, orgId, agentId);
  }
}
