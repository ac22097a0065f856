// Persistence of a turn: the accepted input (before the model is called) and each step's results, each in ONE
// transaction so history never holds half a step.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents, blocks, steps } from '../../db/schema/index.js';
import { insertMessages, type MessageInsert, type MessageRow } from '../../resources/messages/messages.repo.js';
import type { BlockRow } from '../../resources/blocks/blocks.mapper.js';
import { writeSystemMessage } from './recompile-system.js';

export type StepInsert = typeof steps.$inferInsert;

/** Appends rows to the agent's history and in-context ids; returns the stored rows. */
export async function persistInput(db: Db, agentId: string, contextIds: string[], rows: MessageInsert[]): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  return db.transaction(async (tx) => {
    const stored = await insertMessages(tx as Db, rows);
    await (tx as Db).update(agents).set({ messageIds: [...contextIds, ...stored.map((r) => r.id)] }).where(eq(agents.id, agentId));
    return stored;
  });
}

export type StepWrite = {
  agentId: string;
  contextIds: string[];
  rows: MessageInsert[];
  step: StepInsert;
  changedBlocks: BlockRow[];
  system?: MessageRow | null;
};

export async function persistStep(db: Db, w: StepWrite): Promise<{ stored: MessageRow[]; blocks: BlockRow[] }> {
  return db.transaction(async (tx) => {
    const t = tx as Db;
    await t.insert(steps).values(w.step);
    const stored = await insertMessages(t, w.rows);
    const ids = [...w.contextIds, ...stored.map((r) => r.id)];
    await t.update(agents).set({ messageIds: ids }).where(eq(agents.id, w.agentId));
    const updated: BlockRow[] = [];
    for (const b of w.changedBlocks) {
      const [row] = await t
        .update(blocks)
        .set({ value: b.value, version: sql`${blocks.version} + 1`, updatedAt: sql`now()` })
        .where(eq(blocks.id, b.id))
        .returning();
      if (row) updated.push(row);
    }
    if (w.system) await writeSystemMessage(t, w.system);
    return { stored, blocks: updated };
  });
}

export async function insertStep(db: Db, step: StepInsert): Promise<void> {
  await db.insert(steps).values(step);
}
