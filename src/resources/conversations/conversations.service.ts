// Conversation use cases: CRUD, fork, recompile and compact. Where a conversation id is accepted, `default` (with the
// agent id) or the agent id names the agent's own thread (conversation-ref.ts). Sending is in src/turns/.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../actor.js';
import { loadTurnState } from '../../agent/turn-store/load.js';
import { recompileIfChanged, compileFresh } from '../../agent/loop/recompile-system.js';
import { writeSystemMessage } from '../../agent/turn-store/turn-store.js';
import { withTurnLock } from '../../agent/turn-store/lease.js';
import type { LoopDeps } from '../../agent/loop/types.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, notFound } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { findAgent } from '../agents/agents.repo.js';
import { recompileSystem } from '../messages/messages-admin.js';
import { findMessagesByIds, insertMessages } from '../../memory/message-rows.js';
import { compactConversation } from './conversation-compact.js';
import { agentThreadOf } from './conversation-ref.js';
import { toConversation, toDefaultConversation } from './conversations.mapper.js';
import * as repo from './conversations.repo.js';
import { findDefaultFields, latestDefaultThreadAgent, upsertDefaultFields } from './default-conversation.repo.js';
import type { Conversation, CreateConversation, ListConversationsQuery, UpdateConversation } from './conversations.schemas.js';
import type { ConversationInsert, ConversationRow, MessageRow, AgentRow } from '../../db/rows.js';

/** The agent fields a conversation PATCH may set on the default conversation (they are the agent's own). */
type AgentModelPatch = {
  model?: string | null;
  model_settings?: Record<string, unknown> | null;
  context_window_limit?: number | null;
};
export type ConversationsDeps = {
  loop: LoopDeps;
  updateAgent?: (actor: Actor, agentId: string, patch: AgentModelPatch) => Promise<unknown>;
};
/** A conversation row, or the agent whose own thread a `default` / agent-id reference names. */
type Target = { agent: AgentRow; conv: null } | { agent: null; conv: ConversationRow };

export function createConversationsService(deps: ConversationsDeps) {
  const db = deps.loop.db;
  const now = () => (deps.loop.now ?? (() => new Date()))();

  async function mustGet(actor: Actor, id: string, executor: Db = db): Promise<ConversationRow> {
    const row = await repo.findConversation(executor, actor.orgId, id);
    if (!row) throw notFound('Conversation', id);
    return row;
  }

  async function mustAgent(actor: Actor, agentId: string): Promise<AgentRow> {
    const agent = await findAgent(db, actor.orgId, agentId);
    if (!agent) throw notFound('Agent', agentId);
    return agent;
  }

  async function targetOf(actor: Actor, ref: string, agentId?: string | null): Promise<Target> {
    const own = agentThreadOf(ref, agentId);
    if (own) return { agent: await mustAgent(actor, own), conv: null };
    return { agent: null, conv: await mustGet(actor, ref) };
  }

  /**
   * The default conversation's model fields change the agent; its summary and description are kept beside the agent
   * (default_conversations); it cannot be archived or hidden.
   */
  async function updateDefault(actor: Actor, agent: AgentRow, b: NonNullable<UpdateConversation>): Promise<Conversation> {
    const own = (['archived', 'hidden'] as const).filter((k) => b[k] != null);
    if (own.length)
      throw new BadRequestError(
        `The default conversation is the agent's own thread and cannot be ${own.join(' or ')}: create a conversation to do that`,
      );
    const fields = { summary: b.summary, description: b.description };
    if (fields.summary !== undefined || fields.description !== undefined) await upsertDefaultFields(db, actor.orgId, agent.id, fields);
    const patch: AgentModelPatch = {};
    if (b.model !== undefined) patch.model = b.model;
    if (b.model_settings !== undefined) patch.model_settings = b.model_settings;
    if (b.context_window_limit !== undefined) patch.context_window_limit = b.context_window_limit;
    if (Object.keys(patch).length && deps.updateAgent) await deps.updateAgent(actor, agent.id, patch);
    return defaultConversation(actor, await mustAgent(actor, agent.id));
  }

  async function defaultConversation(actor: Actor, agent: AgentRow): Promise<Conversation> {
    return toDefaultConversation(agent, await findDefaultFields(db, actor.orgId, agent.id));
  }

  /** Compiles the conversation's own system message from the agent's current memory (system prompt first). */
  async function compileSystem(tx: Db, actor: Actor, row: ConversationRow): Promise<void> {
    const state = await loadTurnState(tx, actor, row.agentId, row.id);
    const sys = recompileIfChanged(state, now(), true);
    if (sys) await writeSystemMessage(tx, sys);
  }

  async function create(actor: Actor, agentId: string, body: CreateConversation): Promise<Conversation> {
    const b = body ?? {};
    return db.transaction(async (tx) => {
      const t: Db = tx;
      if (!(await findAgent(t, actor.orgId, agentId))) throw notFound('Agent', agentId);
      const id = newId('conv');
      const sysId = newId('message');
      await insertMessages(t, [
        {
          id: sysId,
          organizationId: actor.orgId,
          agentId,
          conversationId: id,
          role: 'system',
          content: [{ type: 'text', text: '' }],
          text: '',
        },
      ]);
      const row = await repo.insertConversation(t, {
        id,
        organizationId: actor.orgId,
        agentId,
        summary: b.summary ?? null,
        description: b.description ?? null,
        hidden: b.hidden ?? false,
        model: b.model ?? null,
        modelSettings: b.model_settings ?? null,
        contextWindowLimit: b.context_window_limit ?? null,
        messageIds: [sysId],
      });
      await compileSystem(t, actor, row);
      return toConversation(row);
    });
  }

  /**
   * Letta Code's `/rename` on the default conversation sends `default` with no agent id: that names the default thread
   * the caller's organization ran a turn on most recently (the session being renamed), never another organization's.
   */
  async function update(actor: Actor, id: string, u: UpdateConversation, agentId?: string | null): Promise<Conversation> {
    const b = u ?? {};
    const t = await targetOf(actor, id, id === 'default' && !agentId ? await latestDefaultThreadAgent(db, actor.orgId) : agentId);
    if (t.agent) return updateDefault(actor, t.agent, b);
    const patch: Partial<ConversationInsert> = {};
    if (b.summary !== undefined) patch.summary = b.summary;
    if (b.description !== undefined) patch.description = b.description;
    if (b.hidden != null) patch.hidden = b.hidden;
    if (b.model !== undefined) patch.model = b.model;
    if (b.model_settings !== undefined) patch.modelSettings = b.model_settings;
    if (b.context_window_limit !== undefined) patch.contextWindowLimit = b.context_window_limit;
    if (b.archived != null) Object.assign(patch, { archived: b.archived, archivedAt: b.archived ? now() : null });
    return toConversation((await repo.updateConversationRow(db, actor.orgId, id, patch))!);
  }

  /** A new conversation starting from a copy of this one's window (up to `messageId`), its own rows from then on. */
  async function fork(actor: Actor, id: string, o: { agentId?: string; hidden?: boolean; messageId?: string }): Promise<Conversation> {
    const target = await targetOf(actor, id, o.agentId);
    const src = target.conv ?? ownThreadAsRow(target.agent);
    if (o.agentId && o.agentId !== src.agentId)
      throw new BadRequestError(`Conversation ${id} belongs to agent ${src.agentId}, not ${o.agentId}`);
    let ids = src.messageIds;
    if (o.messageId) {
      const at = ids.indexOf(o.messageId);
      if (at < 0) throw new BadRequestError(`message_id ${o.messageId} is not in the conversation's context window`);
      ids = ids.slice(0, at + 1);
    }
    const rows = await findMessagesByIds(db, actor.orgId, ids);
    return db.transaction(async (tx) => {
      const t: Db = tx;
      const newConvId = newId('conv');
      const copies = await insertMessages(
        t,
        rows.map((m) => copyMessage(m, newConvId)),
      );
      const row = await repo.insertConversation(t, {
        id: newConvId,
        organizationId: actor.orgId,
        agentId: src.agentId,
        summary: src.summary,
        description: src.description,
        hidden: o.hidden ?? src.hidden,
        model: src.model,
        modelSettings: src.modelSettings,
        contextWindowLimit: src.contextWindowLimit,
        messageIds: copies.map((m) => m.id),
        extras: { forked_from: target.conv ? src.id : 'default' },
      });
      return toConversation(row);
    });
  }

  async function recompile(actor: Actor, id: string, dryRun: boolean, agentId?: string | null): Promise<string> {
    const t = await targetOf(actor, id, agentId);
    if (t.agent) return recompileSystem(deps.loop, actor, t.agent.id, dryRun);
    const conv = t.conv;
    if (dryRun) return compileFresh(await loadTurnState(db, actor, conv.agentId, id), now()).text;
    const scope = { agentId: conv.agentId, conversationId: id };
    const out = await withTurnLock(
      db,
      scope,
      `admin-${randomUUID()}`,
      async () => {
        const state = await loadTurnState(db, actor, conv.agentId, id);
        const sys = recompileIfChanged(state, now(), true);
        if (sys) await writeSystemMessage(db, sys);
        return sys?.text ?? state.context[0]?.text ?? '';
      },
      { pollMs: deps.loop.lockPollMs, leaseMs: deps.loop.leaseMs },
    );
    return out ?? '';
  }

  return {
    create,
    update,
    async compact(actor: Actor, id: string, settings: unknown, agentId?: string | null) {
      const { agent, conv } = await targetOf(actor, id, agentId);
      const t = conv
        ? { agentId: conv.agentId, conversationId: conv.id, model: conv.model, contextWindowLimit: conv.contextWindowLimit }
        : { agentId: agent.id, conversationId: null, model: null, contextWindowLimit: null };
      return compactConversation(deps.loop, actor, t, settings);
    },
    fork,
    recompile,
    mustGet,
    async get(actor: Actor, id: string, agentId?: string | null): Promise<Conversation> {
      const t = await targetOf(actor, id, agentId);
      return t.agent ? defaultConversation(actor, t.agent) : toConversation(t.conv);
    },
    async delete(actor: Actor, id: string): Promise<null> {
      if (!(await repo.updateConversationRow(db, actor.orgId, id, { deletedAt: now() }))) throw notFound('Conversation', id);
      return null;
    },
    async list(actor: Actor, q: ListConversationsQuery): Promise<Conversation[]> {
      const rows = await repo.listConversationRows(
        db,
        actor.orgId,
        {
          agentId: q.agent_id,
          summarySearch: q.summary_search,
          archived: q.archived,
          orderBy: q.order_by === 'created_at' || !q.order_by ? 'created_at' : 'last_message_at',
        },
        toPage(q, { limit: 50, order: 'desc' }),
      );
      return rows.map(toConversation);
    },
  };
}

/** The agent's own thread as the source of a fork: its window, no conversation settings. */
function ownThreadAsRow(a: AgentRow) {
  return {
    id: 'default',
    agentId: a.id,
    messageIds: a.messageIds,
    summary: null,
    description: null,
    hidden: false,
    model: null,
    modelSettings: null,
    contextWindowLimit: null,
  };
}

function copyMessage(m: MessageRow, conversationId: string) {
  const { seq: _s, tsv: _t, id: _i, ...rest } = m;
  return { ...rest, id: newId('message'), conversationId };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
