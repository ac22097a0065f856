// Verbs on an agent's file window used by the tools and the REST routes: open (with ranges), close, close all.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentFileViews } from '../../db/schema/index.js';
import { enforceLru, refreshDirectories, renderView, viewRows, windowLimits } from './file-window.js';

type OpenRequest = { file_name: string; offset?: number | null; length?: number | null };

/** open_files: opens the named files (names as in <directories>), returns Letta-style lines about what changed. */
export async function openForAgent(db: Db, orgId: string, agentId: string, reqs: OpenRequest[], closeAllOthers: boolean): Promise<string> {
  const limits = await windowLimits(db, orgId, agentId);
  if (reqs.length > limits.maxFilesOpen) {
    throw new Error(`Cannot open ${reqs.length} files: at most ${limits.maxFilesOpen} files can be open at once`);
  }
  const views = await viewRows(db, orgId, agentId, { withContent: false });
  const byName = new Map(views.map((v) => [v.fileName, v]));
  for (const r of reqs) {
    if (!byName.has(r.file_name)) {
      const names = views.map((v) => v.fileName);
      throw new Error(
        `${r.file_name} not attached - did you get the filename correct? Currently you have the following files attached: ${JSON.stringify(names)}`,
      );
    }
  }
  const ids = reqs.map((r) => byName.get(r.file_name)!.fileId);
  const closedOthers = closeAllOthers ? views.filter((v) => v.isOpen && !ids.includes(v.fileId)).map((v) => v.fileName) : [];
  if (closeAllOthers) {
    await db
      .update(agentFileViews)
      .set({ isOpen: false })
      .where(and(eq(agentFileViews.agentId, agentId), eq(agentFileViews.organizationId, orgId)));
  }
  const lines: string[] = [];
  const now = Date.now();
  for (const [i, r] of reqs.entries()) {
    const v = byName.get(r.file_name)!;
    const startLine = r.offset ?? null;
    const lineCount = r.length ?? null;
    await db
      .update(agentFileViews)
      .set({ isOpen: true, startLine, lineCount, lastAccessedAt: new Date(now + i) })
      .where(and(eq(agentFileViews.agentId, agentId), eq(agentFileViews.fileId, v.fileId)));
    const [fresh] = await viewRows(db, orgId, agentId, { withContent: true, fileId: v.fileId });
    const range = renderView(fresh!, limits.perFileChars).range;
    const before =
      v.isOpen && (v.startLine != null || v.lineCount != null)
        ? ` (previously lines ${(v.startLine ?? 0) + 1}-${v.lineCount != null ? (v.startLine ?? 0) + v.lineCount : 'end'})`
        : '';
    lines.push(`* Opened ${r.file_name} (lines ${range.start}-${range.end})${before}`);
  }
  const lru = await enforceLru(db, orgId, agentId, limits.maxFilesOpen, ids);
  if (closedOthers.length)
    lines.push(`Note: closed ${closedOthers.length} other file(s) (close_all_others=true): ${closedOthers.join(', ')}`);
  if (lru.length)
    lines.push(
      `Note: closed ${lru.length} least recently used file(s) to stay within ${limits.maxFilesOpen} open files: ${lru.join(', ')}`,
    );
  await refreshDirectories(db, orgId, agentId);
  return lines.join('\n');
}

/** PATCH …/files/{id}/open: opens one file at its start; returns the names closed to make room. */
export async function openFile(db: Db, orgId: string, agentId: string, fileId: string): Promise<string[] | null> {
  const r = await db
    .update(agentFileViews)
    .set({ isOpen: true, startLine: null, lineCount: null, lastAccessedAt: sql`now()` })
    .where(and(eq(agentFileViews.agentId, agentId), eq(agentFileViews.organizationId, orgId), eq(agentFileViews.fileId, fileId)))
    .returning({ id: agentFileViews.fileId });
  if (r.length === 0) return null;
  const { maxFilesOpen } = await windowLimits(db, orgId, agentId);
  const closed = await enforceLru(db, orgId, agentId, maxFilesOpen, [fileId]);
  await refreshDirectories(db, orgId, agentId);
  return closed;
}

export async function closeFiles(db: Db, orgId: string, agentId: string, fileIds: string[] | 'all'): Promise<string[]> {
  const conds = [eq(agentFileViews.agentId, agentId), eq(agentFileViews.organizationId, orgId), eq(agentFileViews.isOpen, true)];
  if (fileIds !== 'all') conds.push(inArray(agentFileViews.fileId, fileIds));
  const open = await viewRows(db, orgId, agentId, { withContent: false, isOpen: true });
  const r = await db
    .update(agentFileViews)
    .set({ isOpen: false })
    .where(and(...conds))
    .returning({ id: agentFileViews.fileId });
  await refreshDirectories(db, orgId, agentId);
  const closed = new Set(r.map((x) => x.id));
  return open.filter((v) => closed.has(v.fileId)).map((v) => v.fileName);
}
