// SQL for organizations: rows, quotas, usage counts, and the removal of everything an organization owns.
import { asc, count, eq, gte, sql, sum } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
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
const OWNED: [PgTable, PgColumn][] = [
  [s.jobs, s.jobs.organizationId], [s.steps, s.steps.organizationId], [s.runs, s.runs.organizationId],
  [s.messages, s.messages.organizationId], [s.passages, s.passages.organizationId],
  [s.agentArchives, s.agentArchives.organizationId], [s.agentBlocks, s.agentBlocks.organizationId],
  [s.agentTools, s.agentTools.organizationId], [s.groupAgents, s.groupAgents.organizationId],
  [s.groupBlocks, s.groupBlocks.organizationId], [s.identityAgents, s.identityAgents.organizationId],
  [s.identityBlocks, s.identityBlocks.organizationId], [s.conversations, s.conversations.organizationId],
  [s.groups, s.groups.organizationId], [s.identities, s.identities.organizationId], [s.agents, s.agents.organizationId],
  [s.archives, s.archives.organizationId], [s.blocks, s.blocks.organizationId], [s.tools, s.tools.organizationId],
  [s.mcpServers, s.mcpServers.organizationId],
];

/** api_keys go with the organization row (ON DELETE CASCADE). */
export async function deleteOrgCascade(tx: Db, orgId: string): Promise<boolean> {
  for (const [table, org] of OWNED) await tx.delete(table).where(eq(org, orgId));
  const gone = await tx.delete(s.organizations).where(eq(s.organizations.id, orgId)).returning({ id: s.organizations.id });
  return gone.length > 0;
}
