// Archive use cases: CRUD, passages in an archive, attaching archives to agents (shared archival memory).
import { eq } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import { passages } from '../../db/schema/index.js';
import { BadRequestError, notFound } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { reembedJob, sameEmbeddingConfig } from '../../memory/reembed-job.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Db } from '../../db/client.js';
import type { MemoryDeps } from '../../memory/embedding.js';
import { deletePassages, insertPassages } from '../../memory/passage-store.js';
import { assertAgentExists } from '../agents/agents.repo.js';
import type { ModelCatalog } from '../models/catalog.js';
import { toPassage } from '../passages/passages.mapper.js';
import type { CreateArchivePassage, Passage } from '../passages/passages.schemas.js';
import { toArchive } from './archives.mapper.js';
import { findArchive, insertArchive, linkArchive } from '../../memory/archive-rows.js';
import * as repo from './archives.repo.js';
import type { Archive, CreateArchive, ListArchivesQuery, UpdateArchive } from './archives.schemas.js';
import type { ArchiveInsert, ArchiveRow } from '../../db/rows.js';

export type ArchivesDeps = MemoryDeps & {
  models: ModelCatalog;
  defaultEmbedding?: string;
  /** Wakes the job workers after a re-embedding job was enqueued (they also poll). */
  jobs?: { kick(): void };
};

export function createArchivesService(deps: ArchivesDeps) {
  const { db } = deps;

  async function mustGet(actor: Actor, id: string): Promise<ArchiveRow> {
    const row = await findArchive(db, actor.orgId, id);
    if (!row) throw notFound('Archive', id);
    return row;
  }

  function newEmbeddingConfig(u: UpdateArchive): Record<string, unknown> | undefined {
    if (u.embedding) return embeddingConfigOf({ name: 'x', embedding: u.embedding }) ?? undefined;
    return u.embedding_config ?? undefined;
  }

  function embeddingConfigOf(body: CreateArchive): Record<string, unknown> | null {
    if (body.embedding) {
      if (!body.embedding.includes('/')) throw new BadRequestError('embedding: the handle should look like provider/model-name');
      return deps.models.embeddingConfigFor(body.embedding);
    }
    if (body.embedding_config) return body.embedding_config;
    return deps.defaultEmbedding ? deps.models.embeddingConfigFor(deps.defaultEmbedding) : null;
  }

  const toItem = (p: CreateArchivePassage) => ({
    text: p.text,
    tags: p.tags,
    metadata: p.metadata,
    createdAt: p.created_at ? new Date(p.created_at) : undefined,
  });

  return {
    async create(actor: Actor, body: CreateArchive): Promise<Archive> {
      const row = await insertArchive(db, {
        id: newId('archive'),
        organizationId: actor.orgId,
        name: body.name,
        description: body.description ?? null,
        embeddingConfig: embeddingConfigOf(body),
        metadata: body.metadata ?? {},
      });
      return toArchive(row);
    },
    async get(actor: Actor, id: string): Promise<Archive> {
      return toArchive(await mustGet(actor, id));
    },
    async update(actor: Actor, id: string, u: UpdateArchive): Promise<Archive> {
      const before = await mustGet(actor, id);
      const patch: Partial<ArchiveInsert> = {};
      if (u.name != null) patch.name = u.name;
      if (u.description !== undefined) patch.description = u.description;
      if (u.metadata != null) patch.metadata = u.metadata;
      const cfg = newEmbeddingConfig(u);
      const modelChanged = cfg !== undefined && !sameEmbeddingConfig(cfg, before.embeddingConfig);
      if (modelChanged) patch.embeddingConfig = cfg;
      if (!modelChanged) return toArchive((await repo.updateArchiveRow(db, actor.orgId, id, patch))!);
      // The new config and its re-embedding job commit together: no model change is ever left without its job.
      const row = await db.transaction(async (t) => {
        const tx: Db = t;
        const r = (await repo.updateArchiveRow(tx, actor.orgId, id, patch))!;
        await insertJob(tx, reembedJob({ archiveId: id, orgId: actor.orgId }));
        return r;
      });
      deps.jobs?.kick();
      return toArchive(row);
    },
    async delete(actor: Actor, id: string): Promise<void> {
      if (!(await repo.deleteArchiveRow(db, actor.orgId, id))) throw notFound('Archive', id);
    },
    async list(actor: Actor, q: ListArchivesQuery): Promise<Archive[]> {
      const rows = await repo.listArchiveRows(
        db,
        actor.orgId,
        { name: q.name, agentId: q.agent_id },
        toPage(q, { limit: 50, order: 'desc' }),
      );
      return rows.map(toArchive);
    },
    async createPassages(actor: Actor, archiveId: string, items: CreateArchivePassage[]): Promise<Passage[]> {
      const archive = await mustGet(actor, archiveId);
      const rows = await insertPassages(deps, actor.orgId, archive, items.map(toItem));
      return rows.map(toPassage);
    },
    async deletePassage(actor: Actor, archiveId: string, passageId: string): Promise<void> {
      await mustGet(actor, archiveId);
      if (!(await deletePassages(db, actor.orgId, [passageId], eq(passages.archiveId, archiveId)))) throw notFound('Passage', passageId);
    },
    async attach(actor: Actor, agentId: string, archiveId: string): Promise<null> {
      await assertAgentExists(db, actor.orgId, agentId);
      await mustGet(actor, archiveId);
      await linkArchive(db, actor.orgId, agentId, archiveId, false);
      return null;
    },
    async detach(actor: Actor, agentId: string, archiveId: string): Promise<null> {
      await assertAgentExists(db, actor.orgId, agentId);
      await mustGet(actor, archiveId);
      await repo.unlinkArchive(db, agentId, archiveId);
      return null;
    },
  };
}

export type ArchivesService = ReturnType<typeof createArchivesService>;
