// Folder use cases: CRUD, files (upload, list, read, delete), and attaching folders to agents.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, ConflictError, NotFoundError, notFound } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { assertAgentExists } from '../agents/agents.repo.js';
import type { ModelCatalog } from '../models/catalog.js';
import { refreshDirectories } from './file-window.js';
import { folderIdByName, folderStats } from './folder-stats.js';
import { uploadFile, type UploadPart } from './folder-upload.js';
import { toFileMetadata, toFolder, type FolderRow } from './folders.mapper.js';
import * as repo from './folders.repo.js';
import type { CreateFolder, FileMetadata, Folder, ListFilesQuery, ListFoldersQuery, UpdateFolder, UploadQuery } from './folders.schemas.js';

export type FoldersDeps = { db: Db; models: ModelCatalog; defaultEmbedding?: string; maxUploadBytes: number; jobs: { kick(): void } };

export function createFoldersService(deps: FoldersDeps) {
  const { db } = deps;

  async function mustGet(actor: Actor, id: string): Promise<FolderRow> {
    const row = await repo.findFolder(db, actor.orgId, id);
    if (!row) throw notFound('Folder', id);
    return row;
  }

  function embeddingConfigOf(body: CreateFolder): Record<string, unknown> {
    let cfg: Record<string, unknown> | null = null;
    if (body.embedding) {
      if (!body.embedding.includes('/')) throw new BadRequestError('embedding: the handle should look like provider/model-name');
      cfg = deps.models.embeddingConfigFor(body.embedding);
    } else if (body.embedding_config) cfg = body.embedding_config;
    else if (deps.defaultEmbedding) cfg = deps.models.embeddingConfigFor(deps.defaultEmbedding);
    if (!cfg) throw new BadRequestError('embedding: no embedding model given and the server has no default (MNEMO_DEFAULT_EMBEDDING)');
    return body.embedding_chunk_size ? { ...cfg, embedding_chunk_size: body.embedding_chunk_size } : cfg;
  }

  async function refreshAgents(actor: Actor, agentIds: string[]): Promise<void> {
    for (const id of agentIds) await refreshDirectories(db, actor.orgId, id);
  }

  return {
    async create(actor: Actor, body: CreateFolder): Promise<Folder> {
      const row = await repo.insertFolder(db, {
        id: newId('source'),
        organizationId: actor.orgId,
        name: body.name,
        description: body.description ?? null,
        instructions: body.instructions ?? null,
        metadata: body.metadata ?? null,
        embeddingConfig: embeddingConfigOf(body),
      });
      if (!row) throw new ConflictError(`A folder named '${body.name}' already exists`);
      return toFolder(row);
    },
    async get(actor: Actor, id: string): Promise<Folder> {
      return toFolder(await mustGet(actor, id));
    },
    async update(actor: Actor, id: string, u: UpdateFolder): Promise<Folder> {
      await mustGet(actor, id);
      const patch: Partial<repo.FolderInsert> = {};
      if (u.name != null) patch.name = u.name;
      if (u.description !== undefined) patch.description = u.description;
      if (u.instructions !== undefined) patch.instructions = u.instructions;
      if (u.metadata !== undefined) patch.metadata = u.metadata;
      if (u.embedding_config != null) patch.embeddingConfig = u.embedding_config;
      if (u.name != null) {
        const clash = (await repo.listFolderRows(db, actor.orgId, { name: u.name }, toPage({}, { limit: 1, order: 'asc' })))[0];
        if (clash && clash.id !== id) throw new ConflictError(`A folder named '${u.name}' already exists`);
      }
      const row = (await repo.updateFolderRow(db, actor.orgId, id, patch))!;
      await refreshAgents(actor, await repo.agentIdsOfFolder(db, actor.orgId, id));
      return toFolder(row);
    },
    async list(actor: Actor, q: ListFoldersQuery & { agentId?: string }): Promise<Folder[]> {
      const rows = await repo.listFolderRows(db, actor.orgId, { name: q.name, agentId: q.agentId }, toPage(q, { limit: 50, order: 'asc' }));
      return rows.map(toFolder);
    },
    count: (actor: Actor) => repo.countFolders(db, actor.orgId),
    async idByName(actor: Actor, name: string): Promise<string> {
      const id = await folderIdByName(db, actor.orgId, name);
      if (!id) throw new NotFoundError(`Folder named '${name}' not found`);
      return id;
    },
    stats: (actor: Actor, detailed = false) => folderStats(db, actor.orgId, detailed),
    async delete(actor: Actor, id: string): Promise<void> {
      const agentIds = await repo.agentIdsOfFolder(db, actor.orgId, id);
      if (!(await repo.deleteFolderRow(db, actor.orgId, id))) throw notFound('Folder', id);
      await refreshAgents(actor, agentIds);
    },
    async agents(actor: Actor, id: string): Promise<string[]> {
      await mustGet(actor, id);
      return repo.agentIdsOfFolder(db, actor.orgId, id);
    },
    async upload(actor: Actor, folderId: string, part: UploadPart | undefined, q: UploadQuery): Promise<FileMetadata> {
      const folder = await mustGet(actor, folderId);
      if (!part) throw new BadRequestError('file is required (multipart/form-data field "file")');
      const row = await uploadFile({ db, maxUploadBytes: deps.maxUploadBytes, kick: deps.jobs.kick }, actor.orgId, folder, part, q);
      return toFileMetadata(row);
    },
    async listFiles(actor: Actor, folderId: string, q: ListFilesQuery): Promise<FileMetadata[]> {
      await mustGet(actor, folderId);
      const rows = await repo.listFileRows(db, actor.orgId, folderId, toPage(q, { limit: 100, order: 'asc' }), q.include_content ?? false);
      return rows.map((r) => toFileMetadata(r, q.include_content));
    },
    async getFile(actor: Actor, folderId: string, fileId: string, includeContent = false): Promise<FileMetadata> {
      await mustGet(actor, folderId);
      const row = await repo.findFile(db, actor.orgId, folderId, fileId, includeContent);
      if (!row) throw notFound('File', fileId);
      return toFileMetadata(row, includeContent);
    },
    async deleteFile(actor: Actor, folderId: string, fileId: string): Promise<void> {
      await mustGet(actor, folderId);
      const row = await repo.findFile(db, actor.orgId, folderId, fileId, false);
      if (!row) throw notFound('File', fileId);
      const agentIds = await repo.agentIdsOfFolder(db, actor.orgId, folderId);
      await repo.deleteFileRow(db, actor.orgId, fileId);
      await refreshAgents(actor, agentIds);
    },
    assertAgent: (actor: Actor, agentId: string) => assertAgentExists(db, actor.orgId, agentId),
  };
}

export type FoldersService = ReturnType<typeof createFoldersService>;
