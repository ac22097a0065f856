// SQL for stored messages (recall memory).
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';
import type { MessageRow } from '../../db/rows.js';

export type MessageFilter = { agentId?: string; runId?: string; stepId?: string; roles?: string[]; conversationId?: string };
export type MessagePage = { before?: string; after?: string; limit: number; order: 'asc' | 'desc' };

/** Lists in `seq` order; cursors are message ids compared by their seq (stable across equal timestamps). */
export async function listMessageRows(db: Db, orgId: string, f: MessageFilter, page: MessagePage): Promise<MessageRow[]> {
  const conds: (SQL | undefined)[] = [eq(messages.organizationId, orgId)];
  if (f.agentId) conds.push(eq(messages.agentId, f.agentId));
  if (f.runId) conds.push(eq(messages.runId, f.runId));
  if (f.stepId) conds.push(eq(messages.stepId, f.stepId));
  if (f.conversationId) conds.push(eq(messages.conversationId, f.conversationId));
  if (f.roles?.length) conds.push(inArray(messages.role, f.roles));
  const cursor = (id: string) => sql`(select seq from messages where id = ${id})`;
  const fwd = page.order === 'asc' ? sql`>` : sql`<`;
  const back = page.order === 'asc' ? sql`<` : sql`>`;
  if (page.after) conds.push(sql`${messages.seq} ${fwd} ${cursor(page.after)}`);
  if (page.before) conds.push(sql`${messages.seq} ${back} ${cursor(page.before)}`);
  const reverse = Boolean(page.before && !page.after);
  const ascending = (page.order === 'asc') !== reverse;
  const rows = await db
    .select()
    .from(messages)
    .where(and(...conds))
    .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
    .limit(page.limit);
  return reverse ? rows.reverse() : rows;
}

export async function findMessage(db: Db, orgId: string, id: string): Promise<MessageRow | undefined> {
  const [r] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.organizationId, orgId), eq(messages.id, id)));
  return r;
}
