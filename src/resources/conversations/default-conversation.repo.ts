// SQL for the default conversation's own fields (summary, description), kept beside the agent.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defaultConversations, runs } from '../../db/schema/index.js';

export type DefaultConversationFields = { summary: string | null; description: string | null };

export async function findDefaultFields(db: Db, orgId: string, agentId: string): Promise<DefaultConversationFields | undefined> {
  const [row] = await db
    .select({ summary: defaultConversations.summary, description: defaultConversations.description })
    .from(defaultConversations)
    .where(and(eq(defaultConversations.organizationId, orgId), eq(defaultConversations.agentId, agentId)));
  return row;
}

/** Sets the given fields (undefined ones stay as they are). */
export async function upsertDefaultFields(db: Db, orgId: string, agentId: string, f: Partial<DefaultConversationFields>): Promise<void> {
  await db
    .insert(defaultConversations)
    .values({ agentId, organizationId: orgId, summary: f.summary ?? null, description: f.description ?? null })
    .onConflictDoUpdate({ target: defaultConversations.agentId, set: { ...f, updatedAt: sql`now()` } });
}

/** The agent whose default thread (a run with no conversation) the organization used last, among its latest runs. */
export async function latestDefaultThreadAgent(db: Db, orgId: string): Promise<string | undefined> {
  const recent = db
    .select({ agentId: runs.agentId, conversationId: runs.conversationId, createdAt: runs.createdAt, id: runs.id })
    .from(runs)
    .where(eq(runs.organizationId, orgId))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(500)
    .as('recent');
  const [row] = await db
    .select({ agentId: recent.agentId })
    .from(recent)
    .where(isNull(recent.conversationId))
    .orderBy(desc(recent.createdAt), desc(recent.id))
    .limit(1);
  return row?.agentId ?? undefined;
}
