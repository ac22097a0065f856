// Message use cases: list/read history, reset, recompile (sending is in src/turns/).
import type { Actor } from '../../actor.js';
import type { LettaMessage, LoopDeps } from '../../agent/loop/types.js';
import { HEARTBEAT_AGENT_TYPES } from '../../agent/types.js';
import { notFound } from '../../errors.js';
import { findAgent } from '../agents/agents.repo.js';
import { agentThreadOf } from '../conversations/conversation-ref.js';
import { findConversation } from '../conversations/conversations.repo.js';
import { filterByTypes, toLettaMessages, type ProjectionOptions } from '../../agent/letta-message.mapper.js';
import { findMessage, listMessageRows, type MessageFilter } from './messages.repo.js';
import type { ListMessagesQuery } from './messages.schemas.js';
import { recompileSystem, resetMessages } from './messages-admin.js';
import type { MessageRow } from '../../db/rows.js';

export type MessagesDeps = { loop: LoopDeps };

/**
 * Newest message first, but the items one stored message expands into keep their natural order (reasoning before
 * its tool call), so a reader never sees a tool call ahead of the thinking that led to it. Cursors are message ids,
 * so paging (`after` = the last item's id) still moves strictly to older messages and ends.
 */
function newestFirst(chronological: LettaMessage[]): LettaMessage[] {
  const groups: LettaMessage[][] = [];
  for (const m of chronological) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.id === m.id) last.push(m);
    else groups.push([m]);
  }
  return groups.reverse().flat();
}

export function createMessagesService(deps: MessagesDeps) {
  const db = deps.loop.db;

  async function mustAgent(actor: Actor, agentId: string) {
    const agent = await findAgent(db, actor.orgId, agentId);
    if (!agent) throw notFound('Agent', agentId);
    return agent;
  }

  function projection(
    agentType: string,
    q: { use_assistant_message?: boolean; assistant_message_tool_name?: string; assistant_message_tool_kwarg?: string },
  ): ProjectionOptions {
    return {
      useAssistantMessage: q.use_assistant_message ?? true,
      assistantToolName: q.assistant_message_tool_name,
      assistantToolKwarg: q.assistant_message_tool_kwarg,
      legacy: HEARTBEAT_AGENT_TYPES.has(agentType),
    };
  }

  /** One page of rows → messages, filtered as asked (may be empty when filters drop every message). */
  async function pageOf(
    actor: Actor,
    f: MessageFilter,
    q: ListMessagesQuery,
    agentType: string,
    cursor: { before?: string; after?: string },
  ): Promise<{ rows: MessageRow[]; msgs: LettaMessage[] }> {
    const order = q.order ?? 'desc';
    const rows = await listMessageRows(db, actor.orgId, f, { ...cursor, limit: q.limit ?? 100, order });
    const chronological = order === 'desc' ? [...rows].reverse() : rows;
    let msgs = toLettaMessages(chronological, projection(agentType, q));
    if (q.include_err === false) msgs = msgs.filter((m) => !m.is_err);
    msgs = filterByTypes(msgs, q.include_return_message_types);
    return { rows, msgs: order === 'desc' ? newestFirst(msgs) : msgs };
  }

  /**
   * A page of messages. When the filters drop every message of a full page of rows, the scan goes on past it, so an
   * empty page only ever means "nothing further" (clients stop paginating at an empty page).
   */
  async function listRows(actor: Actor, f: MessageFilter, q: ListMessagesQuery, agentType: string): Promise<LettaMessage[]> {
    const limit = q.limit ?? 100;
    const reverse = Boolean(q.before && !q.after);
    let cursor = { before: q.before, after: q.after };
    for (;;) {
      const { rows, msgs } = await pageOf(actor, f, q, agentType, cursor);
      if (msgs.length > 0 || rows.length < limit) return msgs;
      // Continue the scan from the last row it reached (the first returned row when scanning backwards).
      cursor = reverse ? { ...cursor, before: rows[0]!.id } : { ...cursor, after: rows.at(-1)!.id };
    }
  }

  return {
    async list(actor: Actor, agentId: string, q: ListMessagesQuery) {
      const agent = await mustAgent(actor, agentId);
      return listRows(actor, { agentId, conversationId: q.conversation_id }, q, agent.agentType);
    },
    listRows,
    /** GET /v1/conversations/{id}/messages: one conversation's history, or the agent's own (`default` / agent id). */
    async listConversation(actor: Actor, ref: string, q: ListMessagesQuery & { agent_id?: string }) {
      const agentId = agentThreadOf(ref, q.agent_id);
      if (agentId) {
        const agent = await mustAgent(actor, agentId);
        return listRows(actor, { agentId, conversationId: q.conversation_id }, q, agent.agentType);
      }
      const conv = await findConversation(db, actor.orgId, ref);
      if (!conv) throw notFound('Conversation', ref);
      const agent = await findAgent(db, actor.orgId, conv.agentId);
      return listRows(actor, { agentId: conv.agentId, conversationId: ref }, q, agent?.agentType ?? 'letta_v1_agent');
    },
    async get(actor: Actor, id: string) {
      const row = await findMessage(db, actor.orgId, id);
      if (!row) throw notFound('Message', id);
      return toLettaMessages([row]);
    },
    async reset(actor: Actor, agentId: string, addDefault: boolean) {
      await resetMessages(deps.loop, actor, agentId, addDefault);
      return null;
    },
    async recompile(actor: Actor, agentId: string, dryRun: boolean) {
      return recompileSystem(deps.loop, actor, agentId, dryRun);
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
