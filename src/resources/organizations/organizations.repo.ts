// SQL for organizations: rows, quotas, usage counts, and the removal of everything an organization owns.
import { asc, count, eq, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../../db/client.js';
import * as s from '../../db/schema/index.js';
import type { OrgInsert, OrgRow } from '../../db/rows.js';

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

export type TokenTally = { day: string; cut: string; settled: number; total: number };

/**
 * Model tokens of the organization's steps from `from` (or the start of the current UTC day, whichever is later) to
 * now, and the part of them older than `cut` (now − 60 s): rows that old are taken as settled, so a caller can add
 * them to a running total and next time read only what came after `cut` (steps_org_created_idx range scan).
 */
export async function tallyTokens(db: Db, orgId: string, from: string | null): Promise<TokenTally> {
  const [r] = await queryRows<{ day: string; cut: string; settled: string; total: string }>(
    db,
    sql`
    WITH b AS (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, now() - interval '60 seconds' AS cut)
    SELECT b.day::text AS day, b.cut::text AS cut,
      coalesce(sum(st.total_tokens) FILTER (WHERE st.created_at < b.cut), 0) AS settled, coalesce(sum(st.total_tokens), 0) AS total
    FROM b LEFT JOIN steps st ON st.organization_id = ${orgId} AND st.created_at >= greatest(b.day, ${from}::timestamptz)
    GROUP BY b.day, b.cut`,
  );
  return { day: r!.day, cut: r!.cut, settled: Number(r!.settled), total: Number(r!.total) };
}

/**
 * Every table holding an organization's rows, children before parents, so no foreign key is violated and nothing is
 * left behind by a table without a key to its parent (messages, runs, steps, passages and jobs have none to
 * organizations). Rows without an organization column (run events, passage counts) go with their parents' cascades.
 */
const OWNED: [PgTable, PgColumn][] = [
  [s.jobs, s.jobs.organizationId],
  [s.steps, s.steps.organizationId],
  [s.runs, s.runs.organizationId],
  [s.messages, s.messages.organizationId],
  [s.passages, s.passages.organizationId],
  [s.agentArchives, s.agentArchives.organizationId],
  [s.agentBlocks, s.agentBlocks.organizationId],
  [s.agentTools, s.agentTools.organizationId],
  [s.groupAgents, s.groupAgents.organizationId],
  [s.groupBlocks, s.groupBlocks.organizationId],
  [s.identityAgents, s.identityAgents.organizationId],
  [s.identityBlocks, s.identityBlocks.organizationId],
  [s.conversations, s.conversations.organizationId],
  [s.groups, s.groups.organizationId],
  [s.identities, s.identities.organizationId],
  [s.agents, s.agents.organizationId],
  [s.archives, s.archives.organizationId],
  [s.blocks, s.blocks.organizationId],
  [s.tools, s.tools.organizationId],
  [s.mcpServers, s.mcpServers.organizationId],
];

/** api_keys go with the organization row (ON DELETE CASCADE). */
export async function deleteOrgCascade(tx: Db, orgId: string): Promise<boolean> {
  for (const [table, org] of OWNED) await tx.delete(table).where(eq(org, orgId));
  const gone = await tx.delete(s.organizations).where(eq(s.organizations.id, orgId)).returning({ id: s.organizations.id });
  return gone.length > 0;
}
