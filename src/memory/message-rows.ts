// The writes and id lookups of stored messages (recall memory) that the agent loop and the resources share.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { IDS_PER_LOOKUP, inBatches, ROWS_PER_INSERT } from '../db/batches.js';
import type { Db } from '../db/client.js';
import type { MessageInsert, MessageRow } from '../db/rows.js';
import { messages } from '../db/schema/index.js';

/**
 * Stores messages and adds them to their agents' message counts in the same transaction (a savepoint inside the
 * caller's), at most ROWS_PER_INSERT rows a statement. The turn store's own statements insert and count
 * themselves; nothing else inserts messages.
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
