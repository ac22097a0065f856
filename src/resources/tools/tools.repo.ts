// SQL for tools.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { tools } from '../../db/schema/index.js';
import type { ToolRow } from './tools.mapper.js';

export type ToolInsert = typeof tools.$inferInsert;

export async function findToolsByNames(db: Db, orgId: string, names: string[]): Promise<ToolRow[]> {
  if (names.length === 0) return [];
  return db.select().from(tools).where(and(eq(tools.organizationId, orgId), inArray(tools.name, names)));
}

export async function findToolsByIds(db: Db, orgId: string, ids: string[]): Promise<ToolRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(tools).where(and(eq(tools.organizationId, orgId), inArray(tools.id, ids)));
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
