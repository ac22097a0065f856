// SQL for memory repositories: git objects and the `main` tip per agent.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agentBlocks, agentDetachedBlocks, memfsObjects, memfsRefs } from '../db/schema/index.js';
import type { GitObject } from './git-objects.js';

const BATCH = 500;

/** Which of `agentIds`, and of the agents holding (attached or owned detached) one of `blockIds`, have a memory repository: one query. */
export async function agentsWithRepository(db: Db, orgId: string, agentIds: string[], blockIds: string[]): Promise<string[]> {
  const holders = db
    .select({ id: agentBlocks.agentId })
    .from(agentBlocks)
    .where(and(eq(agentBlocks.organizationId, orgId), inArray(agentBlocks.blockId, blockIds)));
  const owners = db
    .select({ id: agentDetachedBlocks.agentId })
    .from(agentDetachedBlocks)
    .where(and(eq(agentDetachedBlocks.organizationId, orgId), inArray(agentDetachedBlocks.blockId, blockIds)));
  const rows = await db
    .select({ id: memfsRefs.agentId })
    .from(memfsRefs)
    .where(
      and(
        eq(memfsRefs.organizationId, orgId),
        or(inArray(memfsRefs.agentId, agentIds), inArray(memfsRefs.agentId, holders), inArray(memfsRefs.agentId, owners)),
      ),
    );
  return rows.map((r) => r.id);
}

/** The tip of `main`, row-locked until the transaction ends (serialises writers across processes). */
export async function lockHead(tx: Db, agentId: string): Promise<string | undefined> {
  const [row] = await tx.select({ head: memfsRefs.head }).from(memfsRefs).where(eq(memfsRefs.agentId, agentId)).for('update');
  return row?.head;
}

export async function readHead(db: Db, agentId: string): Promise<string | undefined> {
  const [row] = await db.select({ head: memfsRefs.head }).from(memfsRefs).where(eq(memfsRefs.agentId, agentId));
  return row?.head;
}

/** Creates the ref if it does not exist yet; false when another writer created it first. */
export async function insertHead(tx: Db, orgId: string, agentId: string, head: string): Promise<boolean> {
  const rows = await tx
    .insert(memfsRefs)
    .values({ agentId, organizationId: orgId, head })
    .onConflictDoNothing()
    .returning({ a: memfsRefs.agentId });
  return rows.length > 0;
}

export async function moveHead(tx: Db, agentId: string, from: string, to: string): Promise<boolean> {
  const rows = await tx
    .update(memfsRefs)
    .set({ head: to, updatedAt: sql`now()` })
    .where(and(eq(memfsRefs.agentId, agentId), eq(memfsRefs.head, from)))
    .returning({ a: memfsRefs.agentId });
  return rows.length > 0;
}

export async function insertObjects(tx: Db, orgId: string, agentId: string, objects: GitObject[]): Promise<void> {
  for (let i = 0; i < objects.length; i += BATCH) {
    const rows = objects.slice(i, i + BATCH).map((o) => ({ agentId, organizationId: orgId, sha: o.sha, type: o.type, data: o.data }));
    await tx.insert(memfsObjects).values(rows).onConflictDoNothing();
  }
}

export async function getObjects(db: Db, agentId: string, shas: string[]): Promise<Map<string, GitObject>> {
  const out = new Map<string, GitObject>();
  const unique = [...new Set(shas)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const rows = await db
      .select({ sha: memfsObjects.sha, type: memfsObjects.type, data: memfsObjects.data })
      .from(memfsObjects)
      .where(and(eq(memfsObjects.agentId, agentId), inArray(memfsObjects.sha, unique.slice(i, i + BATCH))));
    for (const r of rows) out.set(r.sha, r);
  }
  return out;
}

export async function listObjectShas(db: Db, agentId: string): Promise<string[]> {
  const rows = await db.select({ sha: memfsObjects.sha }).from(memfsObjects).where(eq(memfsObjects.agentId, agentId));
  return rows.map((r) => r.sha);
}
