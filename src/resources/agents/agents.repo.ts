// SQL for agents and their tool links.
import { and, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents, agentTools, identities, identityAgents, tools } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import { escapeLike, toTextArray } from '../blocks/blocks.repo.js';
import type { AgentInsert, AgentRow, ToolRow } from '../../db/rows.js';

export async function insertAgent(db: Db, row: AgentInsert): Promise<AgentRow> {
  const [r] = await db.insert(agents).values(row).returning();
  return r!;
}

export async function findAgent(db: Db, orgId: string, id: string): Promise<AgentRow | undefined> {
  const [r] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, id)));
  return r;
}

export async function assertAgentExists(db: Db, orgId: string, id: string): Promise<void> {
  const [r] = await db
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, id)));
  if (!r) throw notFound('Agent', id);
}

export async function updateAgentRow(db: Db, orgId: string, id: string, patch: Partial<AgentInsert>): Promise<AgentRow | undefined> {
  const [r] = await db
    .update(agents)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, id)))
    .returning();
  return r;
}

export async function deleteAgentRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(agents)
    .where(and(eq(agents.organizationId, orgId), eq(agents.id, id)))
    .returning({ id: agents.id });
  return r.length > 0;
}

export type AgentFilter = {
  name?: string;
  tags?: string[];
  matchAllTags?: boolean;
  queryText?: string;
  projectId?: string;
  templateId?: string;
  baseTemplateId?: string;
  identityId?: string;
  identifierKeys?: string[];
  lastStopReason?: string;
  ids?: string[];
};

export async function listAgentRows(db: Db, orgId: string, f: AgentFilter, page: Page): Promise<AgentRow[]> {
  const conds: (SQL | undefined)[] = [eq(agents.organizationId, orgId)];
  if (f.name) conds.push(eq(agents.name, f.name));
  if (f.tags?.length)
    conds.push(f.matchAllTags ? sql`${agents.tags} @> ${toTextArray(f.tags)}` : sql`${agents.tags} && ${toTextArray(f.tags)}`);
  if (f.queryText) {
    const like = `%${escapeLike(f.queryText)}%`;
    conds.push(or(ilike(agents.name, like), ilike(agents.description, like)));
  }
  if (f.projectId) conds.push(eq(agents.projectId, f.projectId));
  if (f.templateId) conds.push(eq(agents.templateId, f.templateId));
  if (f.baseTemplateId) conds.push(eq(agents.baseTemplateId, f.baseTemplateId));
  if (f.lastStopReason) conds.push(eq(agents.lastStopReason, f.lastStopReason));
  if (f.ids) conds.push(inArray(agents.id, f.ids.length ? f.ids : ['']));
  if (f.identityId) {
    conds.push(
      inArray(agents.id, db.select({ id: identityAgents.agentId }).from(identityAgents).where(eq(identityAgents.identityId, f.identityId))),
    );
  }
  if (f.identifierKeys?.length) {
    const ids = db
      .select({ id: identities.id })
      .from(identities)
      .where(and(eq(identities.organizationId, orgId), inArray(identities.identifierKey, f.identifierKeys)));
    conds.push(
      inArray(agents.id, db.select({ id: identityAgents.agentId }).from(identityAgents).where(inArray(identityAgents.identityId, ids))),
    );
  }
  const p = pageClauses({ table: agents, createdAt: agents.createdAt, id: agents.id }, page);
  conds.push(p.where);
  const rows = await db
    .select()
    .from(agents)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

export async function listToolsForAgents(db: Db, agentIds: string[]): Promise<{ agentId: string; tool: ToolRow }[]> {
  if (agentIds.length === 0) return [];
  return db
    .select({ agentId: agentTools.agentId, tool: tools })
    .from(agentTools)
    .innerJoin(tools, eq(agentTools.toolId, tools.id))
    .where(inArray(agentTools.agentId, agentIds))
    .orderBy(tools.createdAt, tools.id);
}

export async function linkTools(db: Db, orgId: string, agentId: string, toolIds: string[]): Promise<void> {
  if (toolIds.length === 0) return;
  await db
    .insert(agentTools)
    .values(toolIds.map((toolId) => ({ agentId, toolId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function unlinkTools(db: Db, agentId: string, toolIds?: string[]): Promise<void> {
  if (toolIds && toolIds.length === 0) return;
  const where = toolIds ? and(eq(agentTools.agentId, agentId), inArray(agentTools.toolId, toolIds)) : eq(agentTools.agentId, agentId);
  await db.delete(agentTools).where(where);
}
