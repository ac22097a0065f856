// SQL for conversations (soft-deleted rows are invisible to every read).
import { and, eq, ilike, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { conversations } from '../../db/schema/index.js';
import { finishPage, pageClauses, type Page } from '../../http/pagination.js';
import { escapeLike } from '../blocks/blocks.repo.js';
import type { ConversationInsert, ConversationRow } from '../../db/rows.js';

export async function insertConversation(db: Db, row: ConversationInsert): Promise<ConversationRow> {
  const [r] = await db.insert(conversations).values(row).returning();
  return r!;
}

export async function findConversation(db: Db, orgId: string, id: string): Promise<ConversationRow | undefined> {
  const [r] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.organizationId, orgId), eq(conversations.id, id), isNull(conversations.deletedAt)));
  return r;
}

export async function updateConversationRow(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<ConversationInsert>,
): Promise<ConversationRow | undefined> {
  const [r] = await db
    .update(conversations)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(conversations.organizationId, orgId), eq(conversations.id, id), isNull(conversations.deletedAt)))
    .returning();
  return r;
}

export type ConversationFilter = {
  agentId?: string;
  summarySearch?: string;
  archived?: boolean;
  orderBy?: 'created_at' | 'last_message_at';
};

/** Sort key of `order_by=last_message_at`: a conversation nobody has written to yet counts from its creation. */
const lastActivity = sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`;

export async function listConversationRows(db: Db, orgId: string, f: ConversationFilter, page: Page): Promise<ConversationRow[]> {
  const conds: (SQL | undefined)[] = [eq(conversations.organizationId, orgId), isNull(conversations.deletedAt)];
  if (f.agentId) conds.push(eq(conversations.agentId, f.agentId));
  if (f.summarySearch) conds.push(ilike(conversations.summary, `%${escapeLike(f.summarySearch)}%`));
  if (f.archived !== undefined) conds.push(eq(conversations.archived, f.archived));
  // pageClauses only renders the key inside SQL templates and asc()/desc(), so an expression works as the key.
  const key = f.orderBy === 'last_message_at' ? (lastActivity as unknown as typeof conversations.createdAt) : conversations.createdAt;
  const p = pageClauses({ table: conversations, createdAt: key, id: conversations.id }, page);
  conds.push(p.where);
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...conds))
    .orderBy(...p.orderBy)
    .limit(page.limit);
  return finishPage(rows, p.reverse);
}
