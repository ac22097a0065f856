// Block use cases: CRUD, an agent's core memory by label, and the limit / read-only rules.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, ConflictError, NotFoundError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { assertAgentExists } from '../agents/agents.repo.js';
import { toBlock } from './blocks.mapper.js';
import { listAgentBlockRows } from '../../memory/block-rows.js';
import * as repo from './blocks.repo.js';
import { DEFAULT_BLOCK_LIMIT, type Block, type CreateBlock, type ListBlocksQuery, type UpdateBlock } from './blocks.schemas.js';
import { pageArray, toPage } from '../../http/pagination.js';
import type { PageQuery } from '../../http/query.js';
import type { BlockInsert, BlockRow } from '../../db/rows.js';

const DEFAULT_DESCRIPTIONS: Record<string, string> = {
  persona: 'Who you are: your character, voice and the way you choose to behave. Keep it consistent.',
  human: 'What you know about the person you are talking with: facts, preferences and context worth remembering.',
};

function checkLimit(value: string, limit: number, field = 'value'): void {
  if (value.length > limit) {
    throw new BadRequestError(`${field} is ${value.length} characters, over the block's limit of ${limit} characters`);
  }
}

export function blockInsertFrom(actor: Actor, b: CreateBlock): BlockInsert {
  const limit = b.limit ?? Math.max(DEFAULT_BLOCK_LIMIT, b.value.length);
  checkLimit(b.value, limit);
  return {
    id: newId('block'),
    organizationId: actor.orgId,
    label: b.label,
    value: b.value,
    limit,
    description: b.description ?? DEFAULT_DESCRIPTIONS[b.label] ?? null,
    metadata: b.metadata ?? {},
    readOnly: b.read_only ?? false,
    hidden: b.hidden ?? null,
    tags: b.tags ?? [],
    isTemplate: b.is_template ?? false,
    templateName: b.template_name ?? null,
    preserveOnMigration: b.preserve_on_migration ?? false,
    projectId: b.project_id ?? null,
    templateId: b.template_id ?? null,
    baseTemplateId: b.base_template_id ?? null,
    deploymentId: b.deployment_id ?? null,
    entityId: b.entity_id ?? null,
  };
}

function patchFrom(current: BlockRow, u: UpdateBlock): Partial<BlockInsert> {
  const value = u.value ?? current.value;
  const limit = u.limit ?? current.limit;
  checkLimit(value, limit, u.value != null ? 'value' : 'limit');
  const patch: Partial<BlockInsert> = {};
  if (u.value != null) patch.value = u.value;
  if (u.limit != null) patch.limit = u.limit;
  if (u.label != null) patch.label = u.label;
  if (u.description !== undefined) patch.description = u.description;
  if (u.metadata != null) patch.metadata = u.metadata;
  if (u.read_only != null) patch.readOnly = u.read_only;
  if (u.hidden !== undefined) patch.hidden = u.hidden;
  if (u.tags != null) patch.tags = u.tags;
  if (u.is_template != null) patch.isTemplate = u.is_template;
  if (u.template_name !== undefined) patch.templateName = u.template_name;
  if (u.preserve_on_migration != null) patch.preserveOnMigration = u.preserve_on_migration;
  if (u.project_id !== undefined) patch.projectId = u.project_id;
  return patch;
}

/** `afterEdit`: told of every stored block edit (git-backed memory commits it); never fails the edit. */
export function createBlocksService(deps: { db: Db; afterEdit?: (actor: Actor, blockId: string) => Promise<void> }) {
  const { db } = deps;

  async function mustGet(actor: Actor, id: string): Promise<BlockRow> {
    const row = await repo.findBlock(db, actor.orgId, id);
    if (!row) throw notFound('Block', id);
    return row;
  }

  /** A relabel must not give one agent two blocks with the same label. */
  async function assertLabelFree(actor: Actor, id: string, label: string): Promise<void> {
    for (const agentId of await repo.agentIdsForBlock(db, actor.orgId, id)) {
      const clash = (await listAgentBlockRows(db, actor.orgId, agentId)).find((b) => b.id !== id && b.label === label);
      if (clash) throw new ConflictError(`Agent ${agentId} already has a block labelled '${label}'`);
    }
  }

  async function applyUpdate(actor: Actor, current: BlockRow, u: UpdateBlock): Promise<Block> {
    if (u.label != null && u.label !== current.label) await assertLabelFree(actor, current.id, u.label);
    const row = await repo.updateBlockRow(db, actor.orgId, current.id, patchFrom(current, u));
    if (!row) throw notFound('Block', current.id);
    await deps.afterEdit?.(actor, row.id);
    return toBlock(row);
  }

  return {
    async create(actor: Actor, body: CreateBlock): Promise<Block> {
      const [row] = await repo.insertBlocks(db, [blockInsertFrom(actor, body)]);
      return toBlock(row!);
    },
    async get(actor: Actor, id: string): Promise<Block> {
      return toBlock(await mustGet(actor, id));
    },
    async update(actor: Actor, id: string, u: UpdateBlock): Promise<Block> {
      return applyUpdate(actor, await mustGet(actor, id), u);
    },
    async delete(actor: Actor, id: string): Promise<null> {
      if (!(await repo.deleteBlockRow(db, actor.orgId, id))) throw notFound('Block', id);
      return null;
    },
    async list(actor: Actor, q: ListBlocksQuery): Promise<Block[]> {
      const filter: repo.BlockFilter = {
        label: q.label ?? q.name,
        tags: q.tags,
        matchAllTags: q.match_all_tags,
        labelSearch: q.label_search,
        descriptionSearch: q.description_search,
        valueSearch: q.value_search,
        templatesOnly: q.templates_only,
        projectId: q.project_id,
        identityId: q.identity_id,
        identifierKeys: q.identifier_keys,
      };
      const rows = await repo.listBlockRows(db, actor.orgId, filter, toPage(q, { limit: 50, order: 'desc' }));
      return rows.map(toBlock);
    },
    async listForAgent(actor: Actor, agentId: string, q: PageQuery = {}): Promise<Block[]> {
      await assertAgentExists(db, actor.orgId, agentId);
      return pageArray((await listAgentBlockRows(db, actor.orgId, agentId)).map(toBlock), q, { limit: 100, order: 'asc' });
    },
    async getByLabel(actor: Actor, agentId: string, label: string): Promise<Block> {
      return toBlock(await mustGetByLabel(actor, agentId, label));
    },
    async updateByLabel(actor: Actor, agentId: string, label: string, u: UpdateBlock): Promise<Block> {
      return applyUpdate(actor, await mustGetByLabel(actor, agentId, label), u);
    },
  };

  async function mustGetByLabel(actor: Actor, agentId: string, label: string): Promise<BlockRow> {
    await assertAgentExists(db, actor.orgId, agentId);
    const row = (await listAgentBlockRows(db, actor.orgId, agentId)).find((b) => b.label === label);
    if (!row) throw new NotFoundError(`Agent ${agentId} has no block labelled '${label}'`);
    return row;
  }
}

export type BlocksService = ReturnType<typeof createBlocksService>;
