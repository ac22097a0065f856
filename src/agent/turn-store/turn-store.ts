// The turn store: every read and write of one agent turn, between the loop and the database. Each verb is one
// statement (so one transaction), prepared once per connection; the loop never builds SQL itself. To spare round
// trips, the claim stores a new run, and loads the state and stores the input when it safely can (else the load does).
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agents, conversations, messages } from '../../db/schema/index.js';
import type { NewRun } from '../../db/rows.js';
import { acquireVia, type TurnLease, type TurnLockOptions, type TurnScope } from './lease.js';
import {
  agentDirectories,
  claimAndLoad,
  loadAndWriteInput,
  loadedTurn,
  loadValues,
  memoryCounts,
  type ClaimLoadRow,
  type LoadedTurn,
} from './load.js';
import { heldRows, holdRows, type HeldRows } from './held-rows.js';
import { statement } from './statement.js';
import {
  CANCELLED_MARK,
  CONFLICT_MARK,
  finishStatement,
  finishValues,
  writeInputStatement,
  writeStepStatement,
  type RunOutcome,
  type Thread,
} from './write.js';
import { messagesJson, stepJson, storedRows, type StepInsert } from './message-json.js';
import type { BlockRow, MessageInsert, MessageRow } from '../../db/rows.js';

export type { LoadedTurn, RunOutcome, StepInsert, Thread };

/** What a turn claims its thread with: the run (stored by the claim when new) and the input its load stores. */
type TurnStart = { actor: Actor; scope: TurnScope; runId: string; newRun?: NewRun; input: MessageInsert[] };
/** A held lease, with the state the claim already loaded when it could (naming the `held` rows it did not ship). */
export type ClaimedTurn = TurnLease & { start: TurnStart; loaded?: ClaimLoadRow; held: HeldRows };

export type StepWrite = {
  thread: Thread;
  /** The thread's in-context ids before this step; the step's rows are appended. */
  contextIds: string[];
  rows: MessageInsert[];
  step: StepInsert;
  /** Changed blocks carrying the version they were read at (the swap only succeeds against that version). */
  changedBlocks?: BlockRow[];
  system?: MessageRow | null;
  relaxed?: boolean;
  /** Write nothing (and report `cancelled`) when this run was cancelled meanwhile. */
  cancelGuardRunId?: string;
  /** The turn ends with this step: close the run and free the lease in the same statement. */
  finish?: { outcome: RunOutcome; lease: { key: string; holder: string } };
};

export type StepWritten = { ok: true; stored: MessageRow[]; blocks: BlockRow[] } | { ok: false; conflicted: string[]; cancelled?: boolean };

/** The database's own message (the failed cast quotes the value), which drizzle keeps as `cause`; its own quotes the SQL. */
function dbMessage(e: unknown): string {
  if (e instanceof Error) return e.cause instanceof Error ? e.cause.message : e.message;
  return String(e);
}

const cancelledStatement = statement<{ c: boolean | null }>(
  'mnemo_run_cancelled',
  sql`select (cancel_requested or status = 'cancelled') as c
  from runs where id = ${sql.placeholder('run')}::text`,
);

const emptyFinish = finishValues(undefined, undefined);

type TurnStoreOptions = {
  /** Awaited before every statement (a sleep-time companion yields to primary turns this way). */
  gate?: () => Promise<void>;
};

export function createTurnStore(db: Db, o: TurnStoreOptions = {}) {
  const gate = o.gate ?? (() => Promise.resolve());
  return {
    /**
     * Waits for the thread's turn (src/agent/turn-store/lease.ts), storing the run first when `t.newRun` says it is
     * new; null when the run was cancelled while waiting.
     */
    async claim(t: TurnStart, lock: TurnLockOptions): Promise<ClaimedTurn | null> {
      await gate();
      // The claim that gets the lease also loads the state and stores the input when it safely can (load.ts).
      const held = heldRows(db, t.scope.agentId, t.scope.conversationId);
      const values = loadValues(t.actor, t.scope.agentId, t.scope.conversationId, t.input, lock.relaxedCommit, held);
      const lease = await acquireVia(db, t.scope, t.runId, { ...lock, newRun: t.newRun }, { ...claimAndLoad, values });
      return lease && { ...lease, start: t, loaded: lease.row.ready ? lease.row : undefined, held };
    },

    /** The turn's state, and its input stored after the window (the state is as read before the input). */
    async load(c: ClaimedTurn, relaxed = false): Promise<LoadedTurn> {
      const { actor, scope, input } = c.start;
      let loaded: LoadedTurn;
      if (c.loaded) loaded = loadedTurn(c.loaded, scope.agentId, scope.conversationId, input, c.held);
      else {
        await gate();
        loaded = await loadAndWriteInput(db, actor, scope.agentId, scope.conversationId, input, relaxed, c.held);
      }
      holdRows(db, scope.agentId, scope.conversationId, loaded.rows);
      return loaded;
    },

    async counts(agentId: string) {
      await gate();
      return memoryCounts(db, agentId);
    },

    /** The agent's current file window text, re-read after a file tool changed it mid-turn. */
    async directories(agentId: string): Promise<string> {
      await gate();
      return agentDirectories(db, agentId);
    },

    async cancelRequested(runId: string): Promise<boolean> {
      await gate();
      const [r] = await cancelledStatement(db, { run: runId });
      return Boolean(r?.c);
    },

    /** The system message recompiled at the start of a turn. */
    async writeSystem(row: MessageRow): Promise<void> {
      await gate();
      await writeSystemMessage(db, row);
    },

    /**
     * Writes one step: its record, messages, in-context ids, changed blocks and system message. A block changed since
     * it was read makes the whole write fail (nothing written), reported as a conflict so memory edits can be replayed.
     */
    async writeStep(w: StepWrite): Promise<StepWritten> {
      await gate();
      const changed = w.changedBlocks ?? [];
      const sys = w.system;
      const values = {
        ...threadValues(w.thread, [...w.contextIds, ...w.rows.map((r) => r.id ?? '')], w.rows),
        relaxed: Boolean(w.relaxed) && !w.finish,
        step: stepJson(w.step),
        blocks: JSON.stringify(changed.map((b) => ({ id: b.id, value: b.value, version: b.version }))),
        blockCount: changed.length,
        sysId: sys?.id ?? null,
        sysText: sys?.text ?? null,
        sysContent: sys?.content == null ? null : JSON.stringify(sys.content),
        sysExtras: sys ? JSON.stringify(sys.extras) : null,
        guardRun: w.cancelGuardRunId ?? null,
        ...(w.finish ? finishValues(w.finish.outcome, w.finish.lease) : emptyFinish),
      };
      let row: Awaited<ReturnType<typeof writeStepStatement>>[number] | undefined;
      try {
        [row] = await writeStepStatement(db, values);
      } catch (e) {
        if (dbMessage(e).includes(CONFLICT_MARK)) return { ok: false, conflicted: changed.map((b) => b.id) };
        if (dbMessage(e).includes(CANCELLED_MARK)) return { ok: false, conflicted: [], cancelled: true };
        throw e;
      }
      if (!row) throw new Error('step write returned no row');
      const swapped = new Map(row.swapped.map((s) => [s.id, s]));
      const blocks = changed.map((b) => {
        const s = swapped.get(b.id);
        return s ? { ...b, version: s.version, updatedAt: new Date(s.updated_at) } : b;
      });
      return { ok: true, stored: storedRows(w.rows, row.filled), blocks };
    },

    /** Closes the run; with `held` also the agent's last-run fields and the lease. */
    async finish(outcome: RunOutcome, held?: { agentId: string; lease: { key: string; holder: string } }): Promise<void> {
      await gate();
      await finishStatement(db, { ...finishValues(outcome, held?.lease), agent: held?.agentId ?? null });
    },
  };
}

export type TurnStore = ReturnType<typeof createTurnStore>;

function threadValues(t: Thread, ids: string[], rows: MessageInsert[]) {
  return { ids: JSON.stringify(ids), rows: messagesJson(rows), agent: t.agentId, conv: t.conversationId ?? null };
}

/** Appends rows to a thread (the turn's input, an approval's cancellation); `db` may be a transaction. */
export async function writeInput(
  db: Db,
  thread: Thread,
  contextIds: string[],
  rows: MessageInsert[],
  relaxed = false,
): Promise<MessageRow[]> {
  if (rows.length === 0) return [];
  const [r] = await writeInputStatement(db, { ...threadValues(thread, [...contextIds, ...rows.map((m) => m.id ?? '')], rows), relaxed });
  return storedRows(rows, r?.filled ?? []);
}

/** Stores the thread's in-context id list (a conversation also records when it last saw a message). */
export async function saveContextIds(db: Db, t: Thread, ids: string[]): Promise<void> {
  if (t.conversationId) {
    await db
      .update(conversations)
      .set({ messageIds: ids, lastMessageAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(conversations.id, t.conversationId));
  } else {
    await db.update(agents).set({ messageIds: ids }).where(eq(agents.id, t.agentId));
  }
}

export async function writeSystemMessage(db: Db, row: MessageRow): Promise<void> {
  await db
    .update(messages)
    .set({ text: row.text, content: row.content, extras: row.extras, updatedAt: sql`now()` })
    .where(eq(messages.id, row.id));
}
