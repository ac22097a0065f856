// SQL for identities and their links to agents and blocks.
import { and, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { readAll } from '../../db/reads.js';
import { identities, identityAgents, identityBlocks } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import { escapeLike } from '../blocks/blocks.repo.js';
import type { IdentityInsert, IdentityRow } from '../../db/rows.js';

export type IdentityLinks = { agentIds: string[]; blockIds: string[] };

export async function insertIdentity(db: Db, row: IdentityInsert): Promise<IdentityRow> {
  const [r] = await db.insert(identities).values(row).returning();
  return r!;
}

export async function findIdentity(db: Db, orgId: string, id: string): Promise<IdentityRow | undefined> {
  const [r] = await db
    .select()
    .from(identities)
    .where(and(eq(identities.organizationId, orgId), eq(identities.id, id)));
  return r;
}

/** Identifier keys are unique per organization and project (a null project counts as one project). */
export async function findIdentityByKey(db: Db, orgId: string, key: string, projectId: string | null): Promise<IdentityRow | undefined> {
  const [r] = await db
    .select()
    .from(identities)
    .where(
      and(
        eq(identities.organizationId, orgId),
        eq(identities.identifierKey, key),
        sql`${identities.projectId} is not distinct from ${projectId}`,
      ),
    );
  return r;
}

export async function updateIdentityRow(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<IdentityInsert>,
): Promise<IdentityRow | undefined> {
  const [r] = await db
    .update(identities)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(identities.organizationId, orgId), eq(identities.id, id)))
    .returning();
  return r;
}

export async function deleteIdentityRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(identities)
    .where(and(eq(identities.organizationId, orgId), eq(identities.id, id)))
    .returning({ id: identities.id });
  return r.length > 0;
}

export type IdentityFilter = { name?: string; projectId?: string; identifierKey?: string; identityType?: string };

export async function listIdentityRows(db: Db, orgId: string, f: IdentityFilter, page: Page): Promise<IdentityRow[]> {
  const conds: (SQL | undefined)[] = [eq(identities.organizationId, orgId)];
  if (f.name) conds.push(ilike(identities.name, `%${escapeLike(f.name)}%`));
  if (f.projectId) conds.push(eq(identities.projectId, f.projectId));
  if (f.identifierKey) conds.push(eq(identities.identifierKey, f.identifierKey));
  if (f.identityType) conds.push(eq(identities.identityType, f.identityType));
  const p = pageClauses({ table: identities, createdAt: identities.createdAt, id: identities.id }, page);
  conds.push(p.where);
  const rows = await db
    .select()
    .from(identities)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}

export async function countIdentities(db: Db, orgId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(identities).where(eq(identities.organizationId, orgId));
  return Number(r?.n ?? 0);
}

/** Agent and block ids of many identities in two queries. */
export async function loadLinks(db: Db, ids: string[]): Promise<Map<string, IdentityLinks>> {
  const out = new Map<string, IdentityLinks>(ids.map((id) => [id, { agentIds: [], blockIds: [] }]));
  if (ids.length === 0) return out;
  const [a, b] = await readAll(db, [
    () => db.select().from(identityAgents).where(inArray(identityAgents.identityId, ids)),
    () => db.select().from(identityBlocks).where(inArray(identityBlocks.identityId, ids)),
  ]);
  for (const r of a) out.get(r.identityId)?.agentIds.push(r.agentId);
  for (const r of b) out.get(r.identityId)?.blockIds.push(r.blockId);
  return out;
}

export async function linkAgents(db: Db, orgId: string, identityId: string, agentIds: string[]): Promise<void> {
  if (agentIds.length === 0) return;
  await db
    .insert(identityAgents)
    .values(agentIds.map((agentId) => ({ identityId, agentId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function unlinkAgents(db: Db, identityId: string, agentIds?: string[]): Promise<void> {
  if (agentIds && agentIds.length === 0) return;
  const where = agentIds
    ? and(eq(identityAgents.identityId, identityId), inArray(identityAgents.agentId, agentIds))
    : eq(identityAgents.identityId, identityId);
  await db.delete(identityAgents).where(where);
}

export async function linkBlocks(db: Db, orgId: string, identityId: string, blockIds: string[]): Promise<void> {
  if (blockIds.length === 0) return;
  await db
    .insert(identityBlocks)
    .values(blockIds.map((blockId) => ({ identityId, blockId, organizationId: orgId })))
    .onConflictDoNothing();
}

export async function unlinkBlocks(db: Db, identityId: string): Promise<void> {
  await db.delete(identityBlocks).where(eq(identityBlocks.identityId, identityId));
}

/** Identities of many agents (for AgentState.identities). */
export async function identitiesForAgents(db: Db, agentIds: string[]): Promise<{ agentId: string; identity: IdentityRow }[]> {
  if (agentIds.length === 0) return [];
  return db
    .select({ agentId: identityAgents.agentId, identity: identities })
    .from(identityAgents)
    .innerJoin(identities, eq(identityAgents.identityId, identities.id))
    .where(inArray(identityAgents.agentId, agentIds))
    .orderBy(identities.createdAt, identities.id);
}

export async function replaceAgentIdentities(db: Db, orgId: string, agentId: string, identityIds: string[]): Promise<void> {
  await db.delete(identityAgents).where(eq(identityAgents.agentId, agentId));
  if (identityIds.length === 0) return;
  await db
    .insert(identityAgents)
    .values(identityIds.map((identityId) => ({ identityId, agentId, organizationId: orgId })))
    .onConflictDoNothing();
}
