// SQL for groups, their member agents (ordered) and shared blocks.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { readAll } from '../../db/reads.js';
import { groupAgents, groupBlocks, groups, messages } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import type { GroupLinks } from './groups.mapper.js';
import type { GroupInsert, GroupRow, MessageRow } from '../../db/rows.js';

export async function insertGroup(db: Db, row: GroupInsert): Promise<GroupRow> {
  const [r] = await db.insert(groups).values(row).returning();
  return r!;
}

export async function findGroup(db: Db, orgId: string, id: string): Promise<GroupRow | undefined> {
  const [r] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.organizationId, orgId), eq(groups.id, id)));
  return r;
}

export async function updateGroupRow(db: Db, orgId: string, id: string, patch: Partial<GroupInsert>): Promise<GroupRow | undefined> {
  const [r] = await db
    .update(groups)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(groups.organizationId, orgId), eq(groups.id, id)))
    .returning();
  return r;
}

export async function deleteGroupRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(groups)
    .where(and(eq(groups.organizationId, orgId), eq(groups.id, id)))
    .returning({ id: groups.id });
  return r.length > 0;
}

export type GroupFilter = { managerType?: string; projectId?: string; showHidden?: boolean; agentId?: string };

export async function listGroupRows(db: Db, orgId: string, f: GroupFilter, page: Page): Promise<GroupRow[]> {
  const conds: (SQL | undefined)[] = [eq(groups.organizationId, orgId)];
  if (f.managerType) conds.push(eq(groups.managerType, f.managerType));
  if (f.projectId) conds.push(eq(groups.projectId, f.projectId));
  if (!f.showHidden) conds.push(sql`coalesce(${groups.hidden}, false) = false`);
  if (f.agentId) {
    const member = inArray(groups.id, db.select({ id: groupAgents.groupId }).from(groupAgents).where(eq(groupAgents.agentId, f.agentId)));
    conds.push(or(member, eq(groups.managerAgentId, f.agentId)));
  }
  const p = pageClauses({ table: groups, createdAt: groups.createdAt, id: groups.id }, page);
  conds.push(p.where);
  const rows = await db
    .select()
    .from(groups)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

export async function countGroups(db: Db, orgId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(groups).where(eq(groups.organizationId, orgId));
  return Number(r?.n ?? 0);
}

export async function loadGroupLinks(db: Db, ids: string[]): Promise<Map<string, GroupLinks>> {
  const out = new Map<string, GroupLinks>(ids.map((id) => [id, { agentIds: [], blockIds: [] }]));
  if (ids.length === 0) return out;
  const [a, b] = await readAll(db, [
    () => db.select().from(groupAgents).where(inArray(groupAgents.groupId, ids)).orderBy(asc(groupAgents.position)),
    () => db.select().from(groupBlocks).where(inArray(groupBlocks.groupId, ids)),
  ]);
  for (const r of a) out.get(r.groupId)?.agentIds.push(r.agentId);
  for (const r of b) out.get(r.groupId)?.blockIds.push(r.blockId);
  return out;
}

export async function setGroupAgents(db: Db, orgId: string, groupId: string, agentIds: string[]): Promise<void> {
  await db.delete(groupAgents).where(eq(groupAgents.groupId, groupId));
  if (agentIds.length === 0) return;
  await db.insert(groupAgents).values(agentIds.map((agentId, position) => ({ groupId, agentId, position, organizationId: orgId })));
}

export async function linkGroupBlocks(db: Db, orgId: string, groupId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  await db
    .insert(groupBlocks)
    .values(blockIds.map((blockId) => ({ groupId, blockId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function unlinkGroupBlocks(db: Db, groupId: string, blockIds?: string[]): Promise<void> {
  const where = blockIds ? and(eq(groupBlocks.groupId, groupId), inArray(groupBlocks.blockId, blockIds)) : eq(groupBlocks.groupId, groupId);
  await db.delete(groupBlocks).where(where);
}

/** The group an agent manages (sleep-time first), for AgentState.managed_group. */
export async function managedGroupsFor(db: Db, agentIds: string[]): Promise<GroupRow[]> {
  if (agentIds.length === 0) return [];
  return db.select().from(groups).where(inArray(groups.managerAgentId, agentIds)).orderBy(asc(groups.createdAt));
}

/** Sleep-time group of a primary agent, if any. */
export async function findSleeptimeGroup(db: Db, orgId: string, agentId: string): Promise<GroupRow | undefined> {
  const [r] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.organizationId, orgId), eq(groups.managerAgentId, agentId), eq(groups.managerType, 'sleeptime')));
  return r;
}

/** A group's messages in seq order; cursors are message ids. */
export async function listGroupMessageRows(db: Db, orgId: string, groupId: string, page: Page): Promise<MessageRow[]> {
  const conds: (SQL | undefined)[] = [eq(messages.organizationId, orgId), eq(messages.groupId, groupId)];
  const cursor = (id: string) => sql`(select seq from messages where id = ${id})`;
  if (page.after) conds.push(sql`${messages.seq} ${page.order === 'asc' ? sql`>` : sql`<`} ${cursor(page.after)}`);
  if (page.before) conds.push(sql`${messages.seq} ${page.order === 'asc' ? sql`<` : sql`>`} ${cursor(page.before)}`);
  const reverse = Boolean(page.before && !page.after);
  const ascending = (page.order === 'asc') !== reverse;
  const rows = await db
    .select()
    .from(messages)
    .where(and(...conds))
    .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
    .limit(page.limit);
  return reverse ? rows.reverse() : rows;
}
