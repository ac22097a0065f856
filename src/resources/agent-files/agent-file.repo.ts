// SQL the agent-file export/import needs beyond the resource repos: history windows, MCP servers, groups.
import { and, asc, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { batchesOf, LINKS_PER_INSERT } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { conversations, groupAgents, groupBlocks, groups, mcpServers, messages } from '../../db/schema/index.js';
import type { GroupRow, McpServerRow, MessageRow } from '../../db/rows.js';

export type ConversationIdsRow = { id: string; agentId: string; messageIds: string[] };

/** The `limit` most recent messages of one thread (the agent's default one when conversationId is null), oldest first. */
export async function recentMessages(
  db: Db,
  orgId: string,
  agentId: string,
  conversationId: string | null,
  limit: number,
): Promise<MessageRow[]> {
  const thread: SQL = conversationId ? eq(messages.conversationId, conversationId) : isNull(messages.conversationId);
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.organizationId, orgId), eq(messages.agentId, agentId), thread))
    .orderBy(desc(messages.seq))
    .limit(limit);
  return rows.reverse();
}

export async function findLiveConversation(db: Db, orgId: string, id: string): Promise<ConversationIdsRow | undefined> {
  const [r] = await db
    .select({ id: conversations.id, agentId: conversations.agentId, messageIds: conversations.messageIds })
    .from(conversations)
    .where(and(eq(conversations.organizationId, orgId), eq(conversations.id, id), isNull(conversations.deletedAt)));
  return r;
}

export async function findMcpServersByIds(db: Db, orgId: string, ids: string[]): Promise<McpServerRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, orgId), inArray(mcpServers.id, ids)));
}

export async function findMcpServersByNames(db: Db, orgId: string, names: string[]): Promise<McpServerRow[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, orgId), inArray(mcpServers.serverName, names)));
}

export async function insertMcpServer(db: Db, row: typeof mcpServers.$inferInsert): Promise<McpServerRow> {
  const [r] = await db.insert(mcpServers).values(row).returning();
  return r!;
}

export type GroupWrite = typeof groups.$inferInsert & { agentIds: string[]; blockIds: string[] };

export async function insertGroup(db: Db, g: GroupWrite): Promise<void> {
  const { agentIds, blockIds, ...row } = g;
  await db.insert(groups).values(row);
  const members = agentIds.map((agentId, position) => ({ groupId: row.id, agentId, organizationId: row.organizationId, position }));
  for (const batch of batchesOf(members, LINKS_PER_INSERT)) await db.insert(groupAgents).values(batch);
  const shared = blockIds.map((blockId) => ({ groupId: row.id, blockId, organizationId: row.organizationId }));
  for (const batch of batchesOf(shared, LINKS_PER_INSERT)) await db.insert(groupBlocks).values(batch);
}

export type ManagedGroup = { group: GroupRow; agentIds: string[]; blockIds: string[] };

/** Groups this agent manages (supervisor, dynamic, sleep-time…), with their members in position order. */
export async function groupsManagedBy(db: Db, orgId: string, agentId: string): Promise<ManagedGroup[]> {
  const rows = await db
    .select()
    .from(groups)
    .where(and(eq(groups.organizationId, orgId), eq(groups.managerAgentId, agentId)))
    .orderBy(asc(groups.createdAt));
  const out: ManagedGroup[] = [];
  for (const group of rows) {
    const members = await db
      .select({ id: groupAgents.agentId })
      .from(groupAgents)
      .where(eq(groupAgents.groupId, group.id))
      .orderBy(asc(groupAgents.position));
    const shared = await db.select({ id: groupBlocks.blockId }).from(groupBlocks).where(eq(groupBlocks.groupId, group.id));
    out.push({ group, agentIds: members.map((m) => m.id), blockIds: shared.map((b) => b.id) });
  }
  return out;
}
