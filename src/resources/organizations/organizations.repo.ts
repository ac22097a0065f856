// SQL for organizations: rows, quotas, usage counts, and the removal of everything an organization owns.
import { asc, count, eq, gte, sql, sum } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import * as s from '../../db/schema/index.js';

export type OrgRow = typeof s.organizations.$inferSelect;
export type OrgInsert = typeof s.organizations.$inferInsert;

export async function insertOrg(db: Db, row: OrgInsert): Promise<OrgRow> {
  const [r] = await db.insert(s.organizations).values(row).returning();
  return r!;
}

export async function findOrg(db: Db, id: string): Promise<OrgRow | undefined> {
  const [r] = await db.select().from(s.organizations).where(eq(s.organizations.id, id));
  return r;
}

export async function listOrgRows(db: Db): Promise<OrgRow[]> {
  return db.select().from(s.organizations).orderBy(asc(s.organizations.createdAt), asc(s.organizations.id));
}

export async function updateOrgRow(db: Db, id: string, patch: Partial<OrgInsert>): Promise<OrgRow | undefined> {
  const [r] = await db.update(s.organizations).set(patch).where(eq(s.organizations.id, id)).returning();
  return r;
}

export async function countAgents(db: Db, orgId: string): Promise<number> {
  const [r] = await db.select({ n: count() }).from(s.agents).where(eq(s.agents.organizationId, orgId));
  return Number(r?.n ?? 0);
}

/** Model tokens the organization's steps used since the start of the current UTC day (steps_org_created_idx). */
export async function tokensToday(db: Db, orgId: string): Promise<number> {
  const dayStart = sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`;
  const [r] = await db
    .select({ n: sum(s.steps.totalTokens) })
    .from(s.steps)
    .where(sql`${eq(s.steps.organizationId, orgId)} and ${gte(s.steps.createdAt, dayStart as never)}`);
  return Number(r?.n ?? 0);
}

/**
 * Every table holding an organization's rows, children before parents, so no foreign key is violated and nothing is
 * left behind by a table without a key to its parent (messages, runs, steps, passages and jobs have none to
 * organizations). Rows without an organization column (run events, passage counts) go with their parents' cascades.
 */
const OWNED_TABLES: (PgTable & { organizationId: typeof s.agents.organizationId })[] = [
  s.jobs, s.steps, s.runs, s.messages, s.passages,
  s.agentArchives, s.agentBlocks, s.agentTools, s.groupAgents, s.groupBlocks, s.identityAgents, s.identityBlocks,
  s.conversations, s.groups, s.identities, s.agents, s.archives, s.blocks, s.tools, s.mcpServers,
] as never;

export async function deleteOrgCascade(tx: Db, orgId: string): Promise<boolean> {
  for (const table of OWNED_TABLES) await tx.delete(table).where(eq(table.organizationId, orgId));
  const gone = await tx.delete(s.organizations).where(eq(s.organizations.id, orgId)).returning({ id: s.organizations.id });
  return gone.length > 0;
}
