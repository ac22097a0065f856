// Per-organization folder statistics (Letta's `/v1/folders/metadata`) and folder ids by name.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { folderFiles, folders } from '../../db/schema/index.js';
import type { OrganizationSourcesStats } from './folders.schemas.js';

/** Counts and sizes per folder in one grouped query; with `detailed`, each folder's files too (one more query). */
export async function folderStats(db: Db, orgId: string, detailed: boolean): Promise<OrganizationSourcesStats> {
  const rows = await db
    .select({
      id: folders.id,
      name: folders.name,
      n: sql<number>`count(${folderFiles.id})::int`,
      bytes: sql<number>`coalesce(sum(${folderFiles.fileSize}), 0)::bigint`,
    })
    .from(folders)
    .leftJoin(folderFiles, eq(folderFiles.folderId, folders.id))
    .where(eq(folders.organizationId, orgId))
    .groupBy(folders.id, folders.name, folders.createdAt)
    .orderBy(asc(folders.createdAt), asc(folders.id));
  const files = detailed ? await filesOf(db, orgId) : new Map<string, OrganizationSourcesStats['sources'][number]['files']>();
  const sources = rows.map((r) => ({
    source_id: r.id,
    source_name: r.name,
    file_count: Number(r.n),
    total_size: Number(r.bytes),
    files: files.get(r.id) ?? [],
  }));
  return {
    total_sources: sources.length,
    total_files: sources.reduce((s, x) => s + x.file_count, 0),
    total_size: sources.reduce((s, x) => s + x.total_size, 0),
    sources,
  };
}

async function filesOf(db: Db, orgId: string) {
  const rows = await db
    .select({ id: folderFiles.id, folderId: folderFiles.folderId, name: folderFiles.fileName, size: folderFiles.fileSize })
    .from(folderFiles)
    .where(eq(folderFiles.organizationId, orgId))
    .orderBy(asc(folderFiles.createdAt), asc(folderFiles.id));
  const out = new Map<string, { file_id: string; file_name: string; file_size: number | null }[]>();
  for (const r of rows) {
    const list = out.get(r.folderId) ?? [];
    list.push({ file_id: r.id, file_name: r.name, file_size: r.size });
    out.set(r.folderId, list);
  }
  return out;
}

export async function folderIdByName(db: Db, orgId: string, name: string): Promise<string | undefined> {
  const [r] = await db
    .select({ id: folders.id })
    .from(folders)
    .where(and(eq(folders.organizationId, orgId), eq(folders.name, name)));
  return r?.id;
}
