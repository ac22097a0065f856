// SQL for tools.
import { and, eq, ilike, inArray, not, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentTools, tools } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import type { ToolInsert, ToolRow } from '../../db/rows.js';

export async function findToolsByNames(db: Db, orgId: string, names: string[]): Promise<ToolRow[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(tools)
    .where(and(eq(tools.organizationId, orgId), inArray(tools.name, names)));
}

export async function findToolsByIds(db: Db, orgId: string, ids: string[]): Promise<ToolRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(tools)
    .where(and(eq(tools.organizationId, orgId), inArray(tools.id, ids)));
}

export async function findTool(db: Db, orgId: string, id: string): Promise<ToolRow | undefined> {
  const [r] = await findToolsByIds(db, orgId, [id]);
  return r;
}

/** Insert or update by (organization, name); returns the stored row. */
export async function upsertToolByName(db: Db, row: ToolInsert): Promise<ToolRow> {
  const { id: _id, organizationId: _org, createdAt: _c, ...rest } = row;
  const [r] = await db
    .insert(tools)
    .values(row)
    .onConflictDoUpdate({ target: [tools.organizationId, tools.name], set: { ...rest, updatedAt: new Date() } })
    .returning();
  return r!;
}

export async function findToolByName(db: Db, orgId: string, name: string): Promise<ToolRow | undefined> {
  const [r] = await findToolsByNames(db, orgId, [name]);
  return r;
}

export async function updateToolRow(db: Db, orgId: string, id: string, patch: Partial<ToolInsert>): Promise<ToolRow | undefined> {
  const [r] = await db
    .update(tools)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(tools.organizationId, orgId), eq(tools.id, id)))
    .returning();
  return r;
}

export async function deleteToolRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(tools)
    .where(and(eq(tools.organizationId, orgId), eq(tools.id, id)))
    .returning({ id: tools.id });
  return rows.length > 0;
}

export type ToolFilter = {
  name?: string;
  names?: string[];
  ids?: string[];
  search?: string;
  types?: string[];
  excludeTypes?: string[];
  lettaOnly?: boolean;
};

function filterConditions(orgId: string, f: ToolFilter): (SQL | undefined)[] {
  const conds: (SQL | undefined)[] = [eq(tools.organizationId, orgId)];
  if (f.name) conds.push(eq(tools.name, f.name));
  if (f.names?.length) conds.push(inArray(tools.name, f.names));
  if (f.ids?.length) conds.push(inArray(tools.id, f.ids));
  if (f.search) conds.push(ilike(tools.name, `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.types?.length) conds.push(inArray(tools.toolType, f.types));
  if (f.excludeTypes?.length) conds.push(not(inArray(tools.toolType, f.excludeTypes)));
  if (f.lettaOnly) conds.push(ilike(tools.toolType, 'letta\\_%'));
  return conds;
}

export async function listToolRows(db: Db, orgId: string, f: ToolFilter, page: Page): Promise<ToolRow[]> {
  const p = pageClauses({ table: tools, createdAt: tools.createdAt, id: tools.id }, page);
  const rows = await db
    .select()
    .from(tools)
    .where(and(...filterConditions(orgId, f), p.where))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

/** Tool rows attached to an agent, oldest first. */
export async function listAgentToolRows(db: Db, orgId: string, agentId: string): Promise<ToolRow[]> {
  const rows = await db
    .select({ tool: tools })
    .from(agentTools)
    .innerJoin(tools, eq(agentTools.toolId, tools.id))
    .where(and(eq(agentTools.agentId, agentId), eq(tools.organizationId, orgId)))
    .orderBy(tools.createdAt, tools.id);
  return rows.map((r) => r.tool);
}

/** Rows of one MCP server (metadata.mcp.server_id), oldest first. */
export async function listMcpToolRows(db: Db, orgId: string, serverId: string): Promise<ToolRow[]> {
  return db
    .select()
    .from(tools)
    .where(
      and(eq(tools.organizationId, orgId), eq(tools.toolType, 'external_mcp'), sql`${tools.metadata}->'mcp'->>'server_id' = ${serverId}`),
    )
    .orderBy(tools.createdAt, tools.id);
}

export async function deleteToolRows(db: Db, orgId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(tools).where(and(eq(tools.organizationId, orgId), inArray(tools.id, ids)));
}
