// Persistence of a turn: the accepted input (before the model is called) and each step's results, each in ONE
// transaction so history never holds half a step. Block writes are compare-and-swap on blocks.version so an edit
// made concurrently (another conversation, a user PATCH) is never overwritten silently.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents, blocks, conversations, steps } from '../../db/schema/index.js';
import { insertMessages, type MessageInsert, type MessageRow } from '../../resources/messages/messages.repo.js';
import type { BlockRow } from '../../resources/blocks/blocks.mapper.js';
import { writeSystemMessage } from './recompile-system.js';

export type StepInsert = typeof steps.$inferInsert;
/** Where a turn's in-context ids live: the agent's list, or one conversation's. */
export type Thread = { agentId: string; conversationId?: string | null };

/** Stores the thread's in-context id list (a conversation also records when it last saw a message). */
export async function saveContextIds(db: Db, t: Thread, ids: string[]): Promise<void> {
  if (t.conversationId) {
    await db.update(conversations).set({ messageIds: ids, lastMessageAt: sql`now()`, updatedAt: sql`now()` }).where(eq(conversations.id, t.conversationId));
  } else {
    await db.update(agents).set({ messageIds: ids }).where(eq(agents.id, t.agentId));
  }
}

/** Appends rows to the agent's history and the thread's in-context ids; returns the stored rows. */
export async function persistInput(db: Db, t: Thread, contextIds: string[], rows: MessageInsert[]): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  return db.transaction(async (tx) => {
    const stored = await insertMessages(tx as Db, rows);
    await saveContextIds(tx as Db, t, [...contextIds, ...stored.map((r) => r.id)]);
    return stored;
  });
}

export type StepWrite = {
  thread: Thread;
  contextIds: string[];
  rows: MessageInsert[];
  step: StepInsert;
  /** Changed blocks carrying the version they were read at (the swap only succeeds against that version). */
  changedBlocks: BlockRow[];
  system?: MessageRow | null;
};

export type StepWritten = { ok: true; stored: MessageRow[]; blocks: BlockRow[] } | { ok: false; conflicted: string[] };

class BlockVersionConflict extends Error {
  constructor(readonly blockIds: string[]) {
    super('block changed concurrently');
  }
}

async function swapBlocks(t: Db, changed: BlockRow[]): Promise<BlockRow[]> {
  const updated: BlockRow[] = [];
  const conflicted: string[] = [];
  for (const b of changed) {
    const [row] = await t
      .update(blocks)
      .set({ value: b.value, version: sql`${blocks.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(blocks.id, b.id), eq(blocks.version, b.version)))
      .returning();
    if (row) updated.push(row);
    else conflicted.push(b.id);
  }
  if (conflicted.length) throw new BlockVersionConflict(conflicted);
  return updated;
}

/** Writes one step atomically; a block changed since it was read rolls everything back and reports the conflict. */
export async function persistStep(db: Db, w: StepWrite): Promise<StepWritten> {
  try {
    return await db.transaction(async (tx) => {
      const t = tx as Db;
      const updated = w.changedBlocks.length ? await swapBlocks(t, w.changedBlocks) : [];
      await t.insert(steps).values(w.step);
      const stored = await insertMessages(t, w.rows);
      await saveContextIds(t, w.thread, [...w.contextIds, ...stored.map((r) => r.id)]);
      if (w.system) await writeSystemMessage(t, w.system);
      return { ok: true as const, stored, blocks: updated };
    });
  } catch (e) {
    if (e instanceof BlockVersionConflict) return { ok: false, conflicted: e.blockIds };
    throw e;
  }
}

export async function insertStep(db: Db, step: StepInsert): Promise<void> {
  await db.insert(steps).values(step);
}
