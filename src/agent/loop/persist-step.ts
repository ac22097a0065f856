// Persistence of a turn: the accepted input (before the model is called) and each step's results, each in ONE
// SQL statement (a chain of data-modifying CTEs is atomic without BEGIN/COMMIT round trips), so history never holds
// half a step. Block writes are compare-and-swap on blocks.version so an edit made concurrently (another
// conversation, a user PATCH) is never overwritten silently.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents, conversations, steps } from '../../db/schema/index.js';
import { finishValues, type RunOutcome } from './finish-run.js';
import { CANCELLED_MARK, CONFLICT_MARK, inputStatement, messagesJson, stepFinishUsed, stepJson, stepStatement, type RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';
import type { BlockRow, MessageInsert, MessageRow, StepInsert } from '../../db/rows.js';

/** Where a turn's in-context ids live: the agent's list, or one conversation's. */
export type Thread = { agentId: string; conversationId?: string | null };

function contextIdsUpdate(db: Db, t: Thread, ids: string[]) {
  return t.conversationId
    ? db.update(conversations).set({ messageIds: ids, lastMessageAt: sql`now()`, updatedAt: sql`now()` }).where(eq(conversations.id, t.conversationId))
    : db.update(agents).set({ messageIds: ids }).where(eq(agents.id, t.agentId));
}

/** Stores the thread's in-context id list (a conversation also records when it last saw a message). */
export async function saveContextIds(db: Db, t: Thread, ids: string[]): Promise<void> {
  await contextIdsUpdate(db, t, ids);
}

/** The stored row of an insert: what we sent plus what the database filled in (seq, timestamps, defaults). */
export type Filled = { id: string; seq: number; created_at: string; updated_at: string };
export function storedRows(rows: MessageInsert[], filled: Filled[]): MessageRow[] {
  const byId = new Map(filled.map((f) => [f.id, f]));
  return rows.map((r) => {
    const f = byId.get(r.id)!;
    const sent = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    return {
      conversationId: null, tsv: null, embedding: null, embeddingDim: null, name: null, model: null, toolCalls: null,
      toolCallId: null, toolReturns: null, stepId: null, runId: null, otid: null, senderId: null, groupId: null,
      batchItemId: null, isErr: null, approve: null, approvalRequestId: null, approvals: null, denialReason: null,
      content: null, text: '', extras: {}, ...sent, seq: Number(f.seq), createdAt: new Date(f.created_at), updatedAt: new Date(f.updated_at),
    } as MessageRow;
  });
}

/** Appends rows to the agent's history and the thread's in-context ids; returns the stored rows. One statement. */
export async function persistInput(db: Db, t: Thread, contextIds: string[], rows: MessageInsert[], relaxed?: boolean, raw?: RawExec): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  const ids = [...contextIds, ...rows.map((r) => r.id!)];
  const q = inputStatement({ conv: Boolean(t.conversationId), relaxed: Boolean(relaxed) });
  const [r] = await runText<{ filled: Filled[] }>(db, raw, q.name, q.text, [JSON.stringify(ids), messagesJson(rows), t.conversationId ?? t.agentId]);
  return storedRows(rows, r!.filled);
}

export type StepWrite = {
  thread: Thread;
  contextIds: string[];
  rows: MessageInsert[];
  step: StepInsert;
  /** Changed blocks carrying the version they were read at (the swap only succeeds against that version). */
  changedBlocks: BlockRow[];
  system?: MessageRow | null;
  relaxed?: boolean;
  /** Runs the statement as a named prepared statement (src/agent/loop/hot-sql.ts); through drizzle when absent. */
  raw?: RawExec;
  /** Write nothing (and report `cancelled`) when this run was cancelled: the post-model cancel check, folded in. */
  cancelGuardRunId?: string;
  /** The turn ends with this step: close the run and free the lease in the same statement. */
  finish?: RunOutcome;
};

export type StepWritten = { ok: true; stored: MessageRow[]; blocks: BlockRow[] } | { ok: false; conflicted: string[]; cancelled?: boolean };


/** The mark shows in the database's message (the failed cast quotes the value); drizzle keeps that one as `cause`. */
const dbMessage = (e: unknown) => String((e as { cause?: Error }).cause?.message ?? (e as Error).message);
const isConflict = (e: unknown) => dbMessage(e).includes(CONFLICT_MARK);
const isCancelled = (e: unknown) => dbMessage(e).includes(CANCELLED_MARK);

type StepResultRow = { filled: Filled[]; swapped: { id: string; version: number; updated_at: string }[] };

function writeStep(db: Db, w: StepWrite, ids: string[]): Promise<StepResultRow[]> {
  const conv = Boolean(w.thread.conversationId);
  // A finishing write commits synchronously: it is the turn's durability point.
  const q = stepStatement({ conv, relaxed: Boolean(w.relaxed) && !w.finish, system: Boolean(w.system), guard: Boolean(w.cancelGuardRunId), finish: Boolean(w.finish) });
  const blocksJson = JSON.stringify(w.changedBlocks.map((b) => ({ id: b.id, value: b.value, version: b.version })));
  const values: unknown[] = [JSON.stringify(ids), messagesJson(w.rows), w.thread.conversationId ?? w.thread.agentId, stepJson(w.step), blocksJson, w.changedBlocks.length];
  if (w.system) values.push(w.system.id, w.system.text, w.system.content == null ? null : JSON.stringify(w.system.content), JSON.stringify(w.system.extras));
  if (w.cancelGuardRunId) values.push(w.cancelGuardRunId);
  if (w.finish) {
    const all = finishValues(w.finish);
    values.push(...stepFinishUsed(conv).map((i) => all[i - 1]));
  }
  return runText<StepResultRow>(db, w.raw, q.name, q.text, values);
}

/**
 * Writes one step in one statement; a block changed since it was read makes the statement fail as a whole (nothing
 * is written) and is reported as a conflict so the caller can replay its memory edits.
 */
export async function persistStep(db: Db, w: StepWrite): Promise<StepWritten> {
  const ids = [...w.contextIds, ...w.rows.map((r) => r.id!)];
  let row: StepResultRow;
  try {
    row = (await writeStep(db, w, ids))[0]!;
  } catch (e) {
    if (isConflict(e)) return { ok: false, conflicted: w.changedBlocks.map((b) => b.id) };
    if (isCancelled(e)) return { ok: false, conflicted: [], cancelled: true };
    throw e;
  }
  const swapped = new Map(row.swapped.map((s) => [s.id, s]));
  const updated = w.changedBlocks.map((b) => ({ ...b, version: swapped.get(b.id)!.version, updatedAt: new Date(swapped.get(b.id)!.updated_at) }));
  return { ok: true, stored: storedRows(w.rows, row.filled), blocks: updated };
}

export async function insertStep(db: Db, step: StepInsert): Promise<void> {
  await db.insert(steps).values(step);
}
