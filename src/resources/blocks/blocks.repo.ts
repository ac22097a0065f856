// SQL for blocks and the agent↔block links.
import { and, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agentBlocks, blocks, identities, identityBlocks } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import type { BlockInsert, BlockRow } from '../../db/rows.js';

export async function insertBlocks(db: Db, rows: BlockInsert[]): Promise<BlockRow[]> {
  if (rows.length === 0) return [];
  return db.insert(blocks).values(rows).returning();
}

export async function findBlock(db: Db, orgId: string, id: string): Promise<BlockRow | undefined> {
  const [row] = await db
    .select()
    .from(blocks)
    .where(and(eq(blocks.organizationId, orgId), eq(blocks.id, id)));
  return row;
}

export async function findBlocksByIds(db: Db, orgId: string, ids: string[]): Promise<BlockRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(blocks)
    .where(and(eq(blocks.organizationId, orgId), inArray(blocks.id, ids)));
}

export async function updateBlockRow(db: Db, orgId: string, id: string, patch: Partial<BlockInsert>): Promise<BlockRow | undefined> {
  const [row] = await db
    .update(blocks)
    .set({ ...patch, version: sql`${blocks.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(blocks.organizationId, orgId), eq(blocks.id, id)))
    .returning();
  return row;
}

export async function deleteBlockRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(blocks)
    .where(and(eq(blocks.organizationId, orgId), eq(blocks.id, id)))
    .returning({ id: blocks.id });
  return rows.length > 0;
}

export type BlockFilter = {
  label?: string;
  tags?: string[];
  matchAllTags?: boolean;
  labelSearch?: string;
  descriptionSearch?: string;
  valueSearch?: string;
  templatesOnly?: boolean;
  projectId?: string;
  identityId?: string;
  identifierKeys?: string[];
};

export async function listBlockRows(db: Db, orgId: string, f: BlockFilter, page: Page): Promise<BlockRow[]> {
  const conds: (SQL | undefined)[] = [eq(blocks.organizationId, orgId)];
  if (f.label) conds.push(eq(blocks.label, f.label));
  if (f.tags?.length)
    conds.push(f.matchAllTags ? sql`${blocks.tags} @> ${toTextArray(f.tags)}` : sql`${blocks.tags} && ${toTextArray(f.tags)}`);
  if (f.labelSearch) conds.push(ilike(blocks.label, `%${escapeLike(f.labelSearch)}%`));
  if (f.descriptionSearch) conds.push(ilike(blocks.description, `%${escapeLike(f.descriptionSearch)}%`));
  if (f.valueSearch) conds.push(ilike(blocks.value, `%${escapeLike(f.valueSearch)}%`));
  if (f.templatesOnly) conds.push(eq(blocks.isTemplate, true));
  if (f.projectId) conds.push(eq(blocks.projectId, f.projectId));
  if (f.identityId)
    conds.push(
      inArray(blocks.id, db.select({ id: identityBlocks.blockId }).from(identityBlocks).where(eq(identityBlocks.identityId, f.identityId))),
    );
  if (f.identifierKeys?.length) {
    const ids = db
      .select({ id: identities.id })
      .from(identities)
      .where(and(eq(identities.organizationId, orgId), inArray(identities.identifierKey, f.identifierKeys)));
    conds.push(
      inArray(blocks.id, db.select({ id: identityBlocks.blockId }).from(identityBlocks).where(inArray(identityBlocks.identityId, ids))),
    );
  }
  const p = pageClauses({ table: blocks, createdAt: blocks.createdAt, id: blocks.id }, page);
  conds.push(p.where);
  const rows = await db
    .select()
    .from(blocks)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

/** Blocks attached to an agent, in attachment-independent stable order (label). */
export async function listBlocksForAgents(db: Db, agentIds: string[]): Promise<{ agentId: string; block: BlockRow }[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .select({ agentId: agentBlocks.agentId, block: blocks })
    .from(agentBlocks)
    .innerJoin(blocks, eq(agentBlocks.blockId, blocks.id))
    .where(inArray(agentBlocks.agentId, agentIds))
    .orderBy(blocks.createdAt, blocks.id);
  return rows;
}

export async function linkBlocks(db: Db, orgId: string, agentId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  await db
    .insert(agentBlocks)
    .values(blockIds.map((blockId) => ({ agentId, blockId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function unlinkBlocks(db: Db, agentId: string, blockIds?: string[]): Promise<void> {
  const where = blockIds ? and(eq(agentBlocks.agentId, agentId), inArray(agentBlocks.blockId, blockIds)) : eq(agentBlocks.agentId, agentId);
  if (blockIds && blockIds.length === 0) return;
  await db.delete(agentBlocks).where(where);
}

export async function agentIdsForBlock(db: Db, orgId: string, blockId: string): Promise<string[]> {
  const rows = await db
    .select({ id: agentBlocks.agentId })
    .from(agentBlocks)
    .where(and(eq(agentBlocks.organizationId, orgId), eq(agentBlocks.blockId, blockId)));
  return rows.map((r) => r.id);
}

export function toTextArray(values: string[]): SQL {
  return sql`${`{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`}::text[]`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Compare-and-swap: the write lands only if the block is still at `version` (undefined when it moved on). */
export async function updateBlockAtVersion(
  db: Db,
  orgId: string,
  id: string,
  version: number,
  patch: Partial<BlockInsert>,
): Promise<BlockRow | undefined> {
  const [row] = await db
    .update(blocks)
    .set({ ...patch, version: sql`${blocks.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(blocks.organizationId, orgId), eq(blocks.id, id), eq(blocks.version, version)))
    .returning();
  return row;
}
