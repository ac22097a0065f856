// Blocks an agent owns but has detached from its context (its memory repository's files outside `system/`).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { BlockRow } from '../db/rows.js';
import { agentBlocks, agentDetachedBlocks, blocks, memfsRefs } from '../db/schema/index.js';

export async function listDetachedBlockRows(db: Db, orgId: string, agentId: string): Promise<BlockRow[]> {
  const rows = await db
    .select({ b: blocks })
    .from(agentDetachedBlocks)
    .innerJoin(blocks, eq(agentDetachedBlocks.blockId, blocks.id))
    .where(and(eq(agentDetachedBlocks.agentId, agentId), eq(blocks.organizationId, orgId)))
    .orderBy(blocks.createdAt, blocks.id);
  return rows.map((r) => r.b);
}

export async function ownDetached(db: Db, orgId: string, agentId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  await db
    .insert(agentDetachedBlocks)
    .values(blockIds.map((blockId) => ({ agentId, blockId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function disownDetached(db: Db, agentId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  await db.delete(agentDetachedBlocks).where(and(eq(agentDetachedBlocks.agentId, agentId), inArray(agentDetachedBlocks.blockId, blockIds)));
}

/** Deletes those of `blockIds` no agent has attached or owns any more (a detached file removed by a push). */
export async function deleteUnheldBlocks(db: Db, orgId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  const attached = await db.select({ id: agentBlocks.blockId }).from(agentBlocks).where(inArray(agentBlocks.blockId, blockIds));
  const owned = await db
    .select({ id: agentDetachedBlocks.blockId })
    .from(agentDetachedBlocks)
    .where(inArray(agentDetachedBlocks.blockId, blockIds));
  const held = new Set([...attached, ...owned].map((r) => r.id));
  const free = blockIds.filter((id) => !held.has(id));
  if (free.length > 0) await db.delete(blocks).where(and(eq(blocks.organizationId, orgId), inArray(blocks.id, free)));
}

/** Whether the agent has a memory repository (a detached block then keeps a file outside `system/`). */
export async function hasMemoryRepo(db: Db, agentId: string): Promise<boolean> {
  const [row] = await db.select({ a: memfsRefs.agentId }).from(memfsRefs).where(eq(memfsRefs.agentId, agentId));
  return row !== undefined;
}
