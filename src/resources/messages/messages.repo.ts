// SQL for stored messages (recall memory).
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { IDS_PER_LOOKUP, inBatches, ROWS_PER_INSERT } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

/**
 * Stores messages and adds them to their agents' message counts in the same transaction (a savepoint inside the
 * caller's), at most ROWS_PER_INSERT rows a statement. The loop's own statements insert through hot-sql.ts and count
 * there; nothing else inserts messages.
 */
export async function insertMessages(db: Db, rows: MessageInsert[]): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  return db.transaction(async (tx) => {
    const stored = await inBatches(rows, ROWS_PER_INSERT, (batch) => tx.insert(messages).values(batch).returning());
    const perAgent = new Map<string, number>();
    for (const r of stored) perAgent.set(r.agentId, (perAgent.get(r.agentId) ?? 0) + 1);
    const counts = JSON.stringify([...perAgent].map(([id, k]) => ({ id, k })));
    await tx.execute(sql`update agents a set message_count = a.message_count + c.k
      from json_to_recordset(${counts}::json) as c(id text, k int) where a.id = c.id`);
    return stored;
  });
}

export async function findMessagesByIds(db: Db, orgId: string, ids: string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  const rows = await inBatches(ids, IDS_PER_LOOKUP, (batch) =>
    db
      .select()
      .from(messages)
      .where(and(eq(messages.organizationId, orgId), inArray(messages.id, batch))),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is MessageRow => r !== undefined);
}

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
