// Group use cases: CRUD, member/block links, shared blocks attached to every member, group transcript.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';
import { BadRequestError, NotFoundError, notFound } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { findAgent, listAgentRows, updateAgentRow } from '../agents/agents.repo.js';
import * as blocksRepo from '../blocks/blocks.repo.js';
import { toGroup } from './groups.mapper.js';
import * as repo from './groups.repo.js';
import type { LettaMessage } from '../../agent/loop/types.js';
import { toLettaMessages } from '../../agent/letta-message.mapper.js';
import type {
  CreateGroup,
  Group,
  ListGroupMessagesQuery,
  ListGroupsQuery,
  ManagerConfig,
  ManagerConfigUpdate,
  UpdateGroup,
} from './groups.schemas.js';
import type { GroupInsert, GroupRow } from '../../db/rows.js';

export type GroupsDeps = { db: Db };

export const DEFAULT_TERMINATION_TOKEN = 'DONE!';

async function checkAgents(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await listAgentRows(db, orgId, { ids: unique }, { limit: unique.length, order: 'asc' });
  const missing = unique.filter((id) => !found.some((a) => a.id === id));
  if (missing.length) throw new NotFoundError(`Agents not found: ${missing.join(', ')}`);
  return unique;
}

/** Columns a manager config sets; fields of other manager types are cleared. */
function managerColumns(c: ManagerConfig | ManagerConfigUpdate, cur?: GroupRow): Partial<GroupInsert> {
  const same = cur?.managerType === c.manager_type;
  const keep = <T>(v: T | null | undefined, old: T | null | undefined): T | null => v ?? (same ? (old ?? null) : null);
  const cols: Partial<GroupInsert> = {
    managerType: c.manager_type,
    managerAgentId: null,
    terminationToken: null,
    maxTurns: null,
    sleeptimeAgentFrequency: null,
    maxMessageBufferLength: null,
    minMessageBufferLength: null,
  };
  if ('manager_agent_id' in c || cur)
    cols.managerAgentId = keep('manager_agent_id' in c ? c.manager_agent_id : undefined, cur?.managerAgentId);
  if (c.manager_type === 'round_robin') cols.maxTurns = keep(c.max_turns, cur?.maxTurns);
  if (c.manager_type === 'dynamic') {
    cols.maxTurns = keep(c.max_turns, cur?.maxTurns);
    cols.terminationToken = keep(c.termination_token, cur?.terminationToken) ?? DEFAULT_TERMINATION_TOKEN;
  }
  if (c.manager_type === 'sleeptime') cols.sleeptimeAgentFrequency = keep(c.sleeptime_agent_frequency, cur?.sleeptimeAgentFrequency) ?? 1;
  if (c.manager_type === 'voice_sleeptime') {
    cols.maxMessageBufferLength = keep(c.max_message_buffer_length, cur?.maxMessageBufferLength);
    cols.minMessageBufferLength = keep(c.min_message_buffer_length, cur?.minMessageBufferLength);
  }
  if (c.manager_type === 'round_robin') cols.managerAgentId = null;
  return cols;
}

/** Shared blocks are linked to the group and attached to every member agent. */
async function shareBlocks(tx: Db, orgId: string, groupId: string, blockIds: string[], agentIds: string[]): Promise<void> {
  const unique = [...new Set(blockIds)];
  const found = await blocksRepo.findBlocksByIds(tx, orgId, unique);
  const missing = unique.filter((id) => !found.some((b) => b.id === id));
  if (missing.length) throw new NotFoundError(`Blocks not found: ${missing.join(', ')}`);
  await repo.linkGroupBlocks(tx, orgId, groupId, unique);
  for (const a of agentIds) await blocksRepo.linkBlocks(tx, orgId, a, unique);
}

export function createGroupsService(deps: GroupsDeps) {
  const { db } = deps;

  async function wire(row: GroupRow, executor: Db = db): Promise<Group> {
    const links = await repo.loadGroupLinks(executor, [row.id]);
    return toGroup(row, links.get(row.id)!);
  }
  async function wireMany(rows: GroupRow[]): Promise<Group[]> {
    const links = await repo.loadGroupLinks(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toGroup(r, links.get(r.id)!));
  }
  async function mustGet(actor: Actor, id: string, executor: Db = db): Promise<GroupRow> {
    const row = await repo.findGroup(executor, actor.orgId, id);
    if (!row) throw notFound('Group', id);
    return row;
  }
  async function checkManager(tx: Db, actor: Actor, cols: Partial<GroupInsert>): Promise<void> {
    if (cols.managerType !== 'round_robin' && !cols.managerAgentId)
      throw new BadRequestError(`manager_agent_id is required for manager_type '${cols.managerType}'`);
    if (cols.managerAgentId && !(await findAgent(tx, actor.orgId, cols.managerAgentId))) throw notFound('Agent', cols.managerAgentId);
  }

  async function create(actor: Actor, req: CreateGroup, executor: Db = db): Promise<Group> {
    const body = async (tx: Db) => {
      const agentIds = await checkAgents(tx, actor.orgId, req.agent_ids);
      const cols = managerColumns(req.manager_config);
      await checkManager(tx, actor, cols);
      const row = await repo.insertGroup(tx, {
        id: newId('group'),
        organizationId: actor.orgId,
        description: req.description,
        projectId: req.project_id ?? null,
        hidden: req.hidden ?? null,
        managerType: cols.managerType!,
        ...cols,
      });
      await repo.setGroupAgents(tx, actor.orgId, row.id, agentIds);
      await shareBlocks(tx, actor.orgId, row.id, req.shared_block_ids ?? [], agentIds);
      return wire(row, tx);
    };
    return executor === db ? db.transaction((t) => body(t)) : body(executor);
  }

  return {
    create,
    mustGet,
    wire,
    async get(actor: Actor, id: string): Promise<Group> {
      return wire(await mustGet(actor, id));
    },
    async update(actor: Actor, id: string, u: UpdateGroup): Promise<Group> {
      return db.transaction(async (t) => {
        const tx: Db = t;
        const cur = await mustGet(actor, id, tx);
        const patch: Partial<GroupInsert> = u.manager_config ? managerColumns(u.manager_config, cur) : {};
        if (u.manager_config) await checkManager(tx, actor, patch);
        if (u.description != null) patch.description = u.description;
        if (u.project_id !== undefined) patch.projectId = u.project_id;
        const row = (await repo.updateGroupRow(tx, actor.orgId, id, patch)) ?? cur;
        if (u.agent_ids != null) await repo.setGroupAgents(tx, actor.orgId, id, await checkAgents(tx, actor.orgId, u.agent_ids));
        if (u.shared_block_ids != null) {
          await repo.unlinkGroupBlocks(tx, id);
          const links = await repo.loadGroupLinks(tx, [id]);
          await shareBlocks(tx, actor.orgId, id, u.shared_block_ids, links.get(id)!.agentIds);
        }
        return wire(row, tx);
      });
    },
    async delete(actor: Actor, id: string): Promise<{ message: string }> {
      if (!(await repo.deleteGroupRow(db, actor.orgId, id))) throw notFound('Group', id);
      return { message: `Group id=${id} successfully deleted` };
    },
    async list(actor: Actor, q: ListGroupsQuery): Promise<Group[]> {
      const rows = await repo.listGroupRows(
        db,
        actor.orgId,
        { managerType: q.manager_type, projectId: q.project_id, showHidden: q.show_hidden_groups },
        toPage(q, { limit: 50, order: 'desc' }),
      );
      return wireMany(rows);
    },
    async listForAgent(actor: Actor, agentId: string, q: ListGroupsQuery): Promise<Group[]> {
      if (!(await findAgent(db, actor.orgId, agentId))) throw notFound('Agent', agentId);
      const rows = await repo.listGroupRows(
        db,
        actor.orgId,
        { managerType: q.manager_type, agentId, showHidden: true },
        toPage(q, { limit: 50, order: 'desc' }),
      );
      return wireMany(rows);
    },
    count: (actor: Actor) => repo.countGroups(db, actor.orgId),
    async attachBlock(actor: Actor, id: string, blockId: string): Promise<null> {
      await db.transaction(async (t) => {
        await mustGet(actor, id, t);
        const links = await repo.loadGroupLinks(t, [id]);
        await shareBlocks(t, actor.orgId, id, [blockId], links.get(id)!.agentIds);
      });
      return null;
    },
    async detachBlock(actor: Actor, id: string, blockId: string): Promise<null> {
      await mustGet(actor, id);
      if (!(await blocksRepo.findBlock(db, actor.orgId, blockId))) throw notFound('Block', blockId);
      await repo.unlinkGroupBlocks(db, id, [blockId]);
      return null;
    },
    async listMessages(actor: Actor, id: string, q: ListGroupMessagesQuery): Promise<LettaMessage[]> {
      await mustGet(actor, id);
      const rows = await repo.listGroupMessageRows(db, actor.orgId, id, toPage(q, { limit: 100, order: 'desc' }));
      const msgs = toLettaMessages(rows, { useAssistantMessage: q.use_assistant_message ?? true });
      return msgs.map((m) => ({ ...m, group_id: id }));
    },
    /** Deletes the group's messages and drops them from the members' in-context lists. */
    async resetMessages(actor: Actor, id: string): Promise<null> {
      await db.transaction(async (t) => {
        const tx: Db = t;
        await mustGet(actor, id, tx);
        const gone = await tx
          .delete(messages)
          .where(and(eq(messages.organizationId, actor.orgId), eq(messages.groupId, id)))
          .returning({ id: messages.id, agentId: messages.agentId });
        const ids = new Set(gone.map((g) => g.id));
        const agentIds = [...new Set(gone.map((g) => g.agentId))];
        const rows = agentIds.length
          ? await listAgentRows(tx, actor.orgId, { ids: agentIds }, { limit: agentIds.length, order: 'asc' })
          : [];
        for (const a of rows) await updateAgentRow(tx, actor.orgId, a.id, { messageIds: a.messageIds.filter((m) => !ids.has(m)) });
      });
      return null;
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
