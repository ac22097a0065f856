// An agent's memory blocks in a stable order, read by the agent loop, sleep-time and the resources alike.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { BlockRow } from '../db/rows.js';
import { agentBlocks, blocks } from '../db/schema/index.js';

export async function listAgentBlockRows(db: Db, orgId: string, agentId: string): Promise<BlockRow[]> {
  const rows = await db
    .select({ b: blocks })
    .from(agentBlocks)
    .innerJoin(blocks, eq(agentBlocks.blockId, blocks.id))
    .where(and(eq(agentBlocks.agentId, agentId), eq(blocks.organizationId, orgId)))
    .orderBy(blocks.createdAt, blocks.id);
  return rows.map((r) => r.b);
}
