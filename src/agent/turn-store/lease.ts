// One turn at a time per thread (an agent's default thread, or one conversation), in arrival order (runs.seq),
// across every server process sharing the database. The lock is a row in `leases` (expiring, heart-beaten), so no
// pool connection is held while waiting or while the model thinks. A crashed holder's lease expires; a crashed
// waiter stops blocking once its run goes stale.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { leases, runs } from '../../db/schema/index.js';
import type { NewRun } from '../../db/rows.js';
import { relaxCte, statement, type Statement } from './statement.js';

/** The thread a turn runs in: a conversation of the agent, or (no conversation) the agent's own history. */
export type TurnScope = { agentId: string; conversationId?: string | null };

export type TurnLockOptions = {
  pollMs?: number;
  leaseMs?: number;
  isCancelled?: () => boolean | Promise<boolean>;
  /** Commit the claim without waiting for the WAL flush (a later synchronous commit of the turn flushes it). */
  relaxedCommit?: boolean;
  /** The holder is a run not stored yet: the first claim attempt stores it (running if it got the lease). */
  newRun?: NewRun;
};

/** `release({ deleted: true })` when the lease row was already deleted by the run's finish. */
export type TurnLease = {
  key: string;
  holder: string;
  /** The run's cancel flag as the claim saw it. */
  cancelledAtClaim: boolean;
  release(o?: { deleted?: boolean }): Promise<void>;
};

const WAITER_STALE_S = 30;
const WAITER_TOUCH_MS = 5_000;

/** Process-local wake-ups so waiters in this process do not sleep a whole poll interval after a release. */
const wakers = new Map<string, Set<() => void>>();

/** Threads with a waiter of this process, for tests and diagnostics (0 when nothing waits). */
export const wakerCount = () => wakers.size;

function wake(key: string): void {
  for (const w of wakers.get(key) ?? []) w();
}

function waitForWake(key: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const set = wakers.get(key) ?? new Set();
    wakers.set(key, set);
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      if (set.size === 0) wakers.delete(key);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}

const turnLockKey = (s: TurnScope) => (s.conversationId ? `conversation-turn:${s.conversationId}` : `agent-turn:${s.agentId}`);

const key = sql.placeholder('key');
const holder = sql.placeholder('holder');
const thread = sql.placeholder('thread');

const p = (name: string) => sql.placeholder(name);

/** The holder's run when it is new (placeholder `runOrg` not null), running if the statement got the lease. */
const createdRun = sql`created as (
      insert into runs (id, organization_id, agent_id, conversation_id, background, metadata, request_config, callback_url, status)
      select ${holder}::text, ${p('runOrg')}::text, ${p('runAgent')}::text, ${p('runConv')}::text, ${p('background')}::boolean,
        ${p('metadata')}::text::jsonb, ${p('requestConfig')}::text::jsonb, ${p('callbackUrl')}::text,
        case when exists (select 1 from claimed) then 'running' else 'created' end
      where ${p('runOrg')}::text is not null)`;

/**
 * Takes the lease when it is free (or expired, or already ours) and no earlier run of the thread still waits, and
 * then marks the holder's run running (storing it first when new). Both forms lead with the agent, the key of
 * runs_active_idx; `seq + 0` keeps the seq bound out of index conditions (a generic plan would scan runs_seq_unique).
 * `heldByOther`: another holder's live lease is in the statement's snapshot (its last writes may not be).
 */
export function claimParts(conv: boolean) {
  const sameThread = conv
    ? sql`r.agent_id = (select agent_id from conversations where id = ${thread}::text) and r.conversation_id = ${thread}::text`
    : sql`r.agent_id = ${thread}::text and r.conversation_id is null`;
  const ctes = sql`claimed as (
      insert into leases (key, holder, expires_at)
      select ${key}::text, ${holder}::text, now() + ${sql.placeholder('leaseMs')}::int * interval '1 millisecond'
      where not exists (
        select 1 from runs r
        where ${sameThread} and r.status = 'created' and r.id <> ${holder}::text
          and r.seq + 0 < coalesce((select seq from runs where id = ${holder}::text), 9223372036854775807)
          and r.updated_at > now() - interval '${sql.raw(String(WAITER_STALE_S))} seconds')
      on conflict (key) do update set holder = excluded.holder, expires_at = excluded.expires_at, created_at = now()
        where leases.expires_at < now() or leases.holder = excluded.holder
      returning holder),
    ${createdRun},
    started as (
      update runs set status = 'running', updated_at = now()
      where id = ${holder}::text and exists (select 1 from claimed)
      returning cancel_requested)`;
  const columns = sql`exists (select 1 from claimed) as claimed, coalesce((select cancel_requested from started), false) as cancelled`;
  const heldByOther = sql`exists (select 1 from leases l where l.key = ${key}::text and l.holder <> ${holder}::text and l.expires_at >= now())`;
  return { ctes, columns, heldByOther };
}

export function claimQuery(conv: boolean) {
  const c = claimParts(conv);
  return sql`with ${c.ctes}, ${relaxCte} select ${c.columns}, (select v from relax) as relaxed`;
}

type ClaimRow = { claimed: boolean; cancelled: boolean };
const claimAgent = statement<ClaimRow>('mnemo_claim_agent', claimQuery(false));
const claimConversation = statement<ClaimRow>('mnemo_claim_conversation', claimQuery(true));

/** The claim statements (built on claimParts) and their further values. */
type ClaimVia<R extends ClaimRow> = { agent: Statement<R>; conversation: Statement<R>; values: Record<string, unknown> };

function newRunValues(r: NewRun | undefined) {
  return {
    runOrg: r?.orgId ?? null,
    runAgent: r?.agentId ?? null,
    runConv: r?.conversationId ?? null,
    background: r?.background ?? false,
    metadata: JSON.stringify(r?.metadata ?? {}),
    requestConfig: JSON.stringify(r?.requestConfig ?? {}),
    callbackUrl: r?.callbackUrl ?? null,
  };
}

function tryClaim<R extends ClaimRow>(
  db: Db,
  scope: TurnScope,
  holderId: string,
  o: TurnLockOptions & { leaseMs: number },
  via: ClaimVia<R>,
): Promise<R | undefined> {
  const claim = scope.conversationId ? via.conversation : via.agent;
  const values = {
    ...via.values,
    key: turnLockKey(scope),
    holder: holderId,
    leaseMs: o.leaseMs,
    thread: scope.conversationId ?? scope.agentId,
    relaxed: Boolean(o.relaxedCommit),
    ...newRunValues(o.newRun),
  };
  return claim(db, values).then(([r]) => r);
}

/**
 * Waits for the thread's turn; `holder` is a run id (ordered by runs.seq) or any unique id for work that is not a
 * run. Returns null when the run was cancelled while waiting.
 */
function acquireTurn(db: Db, scope: TurnScope, holderId: string, o: TurnLockOptions = {}): Promise<TurnLease | null> {
  return acquireVia(db, scope, holderId, o, { agent: claimAgent, conversation: claimConversation, values: {} });
}

/** acquireTurn through other claim statements; the lease carries the row of the claim that got it. */
export async function acquireVia<R extends ClaimRow>(
  db: Db,
  scope: TurnScope,
  holderId: string,
  o: TurnLockOptions,
  via: ClaimVia<R>,
): Promise<(TurnLease & { row: R }) | null> {
  const pollMs = o.pollMs ?? 50;
  const leaseMs = o.leaseMs ?? 30_000;
  const k = turnLockKey(scope);
  let lastTouch = Date.now();
  let claim: R | undefined;
  for (let attempt = 0; ; attempt++) {
    claim = await tryClaim(db, scope, holderId, { ...o, leaseMs, newRun: attempt === 0 ? o.newRun : undefined }, via);
    if (claim?.claimed) break;
    if (o.isCancelled && (await o.isCancelled())) return null;
    if (Date.now() - lastTouch > WAITER_TOUCH_MS) {
      await db.update(runs).set({ updatedAt: sql`now()` }).where(eq(runs.id, holderId));
      lastTouch = Date.now();
    }
    await waitForWake(k, pollMs);
  }
  const mine = () => and(eq(leases.key, k), eq(leases.holder, holderId));
  const timer = setInterval(
    () => {
      void db
        .update(leases)
        .set({ expiresAt: sql`now() + ${leaseMs}::int * interval '1 millisecond'` })
        .where(mine())
        .catch(() => undefined);
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  timer.unref?.();
  return {
    key: k,
    holder: holderId,
    cancelledAtClaim: claim.cancelled,
    row: claim,
    async release(r = {}) {
      clearInterval(timer);
      if (!r.deleted) await db.delete(leases).where(mine());
      wake(k);
    },
  };
}

/** Runs `fn` while holding the thread's turn (reset, recompile, compaction). Null when cancelled while waiting. */
export async function withTurnLock<T>(
  db: Db,
  scope: TurnScope,
  holderId: string,
  fn: () => Promise<T>,
  o: TurnLockOptions = {},
): Promise<T | null> {
  const lease = await acquireTurn(db, scope, holderId, o);
  if (!lease) return null;
  try {
    return await fn();
  } finally {
    await lease.release();
  }
}
