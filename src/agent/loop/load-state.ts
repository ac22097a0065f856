// Phase 1: load what a turn works on — agent, blocks, tools, in-context messages — with few round trips.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agents, agentTools, conversations, tools } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { listAgentBlockRows } from '../../resources/blocks/blocks.repo.js';
import { findMessagesByIds } from '../../resources/messages/messages.repo.js';
import type { TurnState } from './types.js';

/** The in-context ids of a conversation of this agent (element 0 = the conversation's own system message). */
async function conversationIds(db: Db, actor: Actor, agentId: string, conversationId: string): Promise<string[]> {
  const [c] = await db
    .select({ ids: conversations.messageIds })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.organizationId, actor.orgId), eq(conversations.agentId, agentId), isNull(conversations.deletedAt)));
  if (!c) throw notFound('Conversation', conversationId);
  return c.ids;
}

/** Loads a turn's state; with `conversationId` the in-context window is that conversation's, not the agent's. */
export async function loadTurnState(db: Db, actor: Actor, agentId: string, conversationId?: string | null): Promise<TurnState> {
  const [agentAndCounts] = await db
    .select({
      agent: agents,
      totalMessages: sql<number>`(select count(*)::int from messages m where m.agent_id = "agents"."id")`,
      archivalCount: sql<number>`(select count(*)::int from passages p join agent_archives aa on aa.archive_id = p.archive_id where aa.agent_id = "agents"."id")`,
    })
    .from(agents)
    .where(and(eq(agents.organizationId, actor.orgId), eq(agents.id, agentId)));
  if (!agentAndCounts) throw notFound('Agent', agentId);
  const agent = agentAndCounts.agent;
  const all = conversationId ? await conversationIds(db, actor, agentId, conversationId) : agent.messageIds;
  const ids = agent.messageBufferAutoclear ? all.slice(0, 1) : all;
  const [blocks, toolRows, context] = await Promise.all([
    listAgentBlockRows(db, actor.orgId, agentId),
    db
      .select({ tool: tools })
      .from(agentTools)
      .innerJoin(tools, eq(agentTools.toolId, tools.id))
      .where(eq(agentTools.agentId, agentId))
      .orderBy(tools.createdAt, tools.id),
    findMessagesByIds(db, actor.orgId, ids),
  ]);
  return {
    agent,
    conversationId: conversationId ?? null,
    blocks,
    tools: toolRows.map((r) => r.tool),
    context,
    totalMessages: Number(agentAndCounts.totalMessages),
    archivalCount: Number(agentAndCounts.archivalCount),
  };
}
