// SQL for stored messages (recall memory).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';

export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;

export async function insertMessages(db: Db, rows: MessageInsert[]): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  return db.insert(messages).values(rows).returning();
}

export async function findMessagesByIds(db: Db, orgId: string, ids: string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(messages).where(and(eq(messages.organizationId, orgId), inArray(messages.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is MessageRow => r !== undefined);
}
