// One turn at a time per thread (an agent's default thread, or one conversation), in arrival order (runs.seq),
// across every server process sharing the database. The lock is a row in `leases` (expiring, heart-beaten), so no
// pool connection is held while waiting or while the model thinks. A crashed holder's lease expires; a crashed
// waiter stops blocking once its run goes stale.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { NewRun } from '../../resources/runs/runs.repo.js';
import { agentOf, RELAX_CTE, type RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';

export type TurnLockOptions = {
  pollMs?: number;
  leaseMs?: number;
  isCancelled?: () => boolean | Promise<boolean>;
  relaxedCommit?: boolean;
  /** Prepared-statement executor on the handle itself (never a transaction). */
  raw?: RawExec;
  /** The holder is a run not stored yet: the first claim attempt inserts it (one statement less per turn). */
  newRun?: NewRun;
  /** More work for the claim statement itself, done only when the claim succeeds (see Piggyback). */
  piggyback?: Piggyback;
};

/**
 * Extra CTEs and columns appended to every claim attempt (a turn's state load and input write: two statements
 * less). `build` gets the number of its first parameter and `claimed`, an SQL condition true when this attempt took
 * the lease; its CTEs may also read `stale`, true when the statement's snapshot still shows another holder's live
 * lease, i.e. the previous holder released it after this statement began, so its last writes are not visible here.
 * `name` identifies the built text.
 */
export type Piggyback = { name: string; values: unknown[]; build(first: number, claimed: string): { ctes: string[]; cols: string[] } };
/** The thread a turn runs in: a conversation of the agent, or (no conversation) the agent's own history. */
export type TurnScope = { agentId: string; conversationId?: string | null };

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

export const turnLockKey = (s: TurnScope) => (s.conversationId ? `conversation-turn:${s.conversationId}` : `agent-turn:${s.agentId}`);

/**
 * $1 key, $2 holder, $3 lease interval, $4 agent or conversation id, $5 waiter staleness interval; with `insertRun`
 * the holder's run row itself is created here ($6 org, $7 agent, $8 conversation, $9 background, $10 metadata,
 * $11 request config, $12 callback url): a new run is the newest of its thread, so every waiting run comes first.
 */
export function claimText(conv: boolean, relaxed: boolean, insertRun: boolean, pb?: Piggyback): { name: string; text: string } {
  const name = `mnemo_claim_${+conv}${+relaxed}${+insertRun}${pb ? `_${pb.name}` : ''}`;
  let text = claimTexts.get(name);
  if (text) return { name, text };
  // Both forms lead with the agent, the key of runs_active_idx: only that agent's active runs are read. `seq + 0`
  // keeps the seq bound out of any index condition: on runs_seq_unique it would read every run in the table (a
  // generic plan took that index when an organization had few agents).
  const sameThread = conv
    ? `r.agent_id = ${agentOf('$4')} and r.conversation_id = $4`
    : `r.agent_id = $4 and r.conversation_id is null`;
  const ctes = [
    `claimed as (
      insert into leases (key, holder, expires_at)
      select $1, $2, now() + $3::interval
      where not exists (
        select 1 from runs r
        where ${sameThread} and r.status = 'created' and r.id <> $2
          and r.seq + 0 < ${insertRun ? `coalesce((select seq from runs where id = $2), 9223372036854775807)` : `(select seq from runs where id = $2)`}
          and r.updated_at > now() - $5::interval)
      on conflict (key) do update set holder = excluded.holder, expires_at = excluded.expires_at, created_at = now()
        where leases.expires_at < now() or leases.holder = excluded.holder
      returning holder)`,
    ...(insertRun
      ? [`created as (
      insert into runs (id, organization_id, agent_id, conversation_id, background, metadata, request_config, callback_url, status)
      values ($2, $6, $7, $8, $9::boolean, $10::text::jsonb, $11::text::jsonb, $12, case when exists (select 1 from claimed) then 'running' else 'created' end)
      on conflict (id) do nothing
      returning cancel_requested)`]
      : []),
    `started as (
      update runs set status = 'running', updated_at = now()
      where id = $2 and exists (select 1 from claimed)
      returning cancel_requested)`,
    ...(relaxed ? [RELAX_CTE] : []),
  ];
  const cols = [
    `case when exists (select 1 from claimed) then 1 else 0 end as n`,
    `coalesce((select cancel_requested from started)${insertRun ? ', (select cancel_requested from created)' : ''}, false) as c`,
    ...(relaxed ? [`(select v from relax) as relaxed`] : []),
  ];
  if (pb) {
    const extra = pb.build(insertRun ? 13 : 6, `exists (select 1 from claimed)`);
    ctes.push(`stale as (select exists (select 1 from leases where key = $1 and holder <> $2 and expires_at >= now()) as v)`, ...extra.ctes);
    cols.push(...extra.cols);
  }
  text = `with ${ctes.join(',\n    ')}\n    select ${cols.join(',\n      ')}`;
  claimTexts.set(name, text);
  return { name, text };
}
const claimTexts = new Map<string, string>();

/**
 * Claims the lease and (when the holder is a run) marks the run running, in one statement. A run only claims when
 * no earlier run of the same thread is still waiting; a holder that is not a run just needs a free lease.
 */
type Claim = { claimed: boolean; cancelled: boolean; row?: Record<string, unknown> };
async function tryClaim(db: Db, scope: TurnScope, holder: string, leaseMs: number, o: TurnLockOptions): Promise<Claim> {
  const r = o.newRun;
  const q = claimText(Boolean(scope.conversationId), Boolean(o.relaxedCommit), Boolean(r), o.piggyback);
  const values: unknown[] = [turnLockKey(scope), holder, `${leaseMs} milliseconds`, scope.conversationId ?? scope.agentId, `${WAITER_STALE_S} seconds`];
  if (r) values.push(r.orgId, r.agentId, r.conversationId ?? null, r.background ?? false, JSON.stringify(r.metadata ?? {}), JSON.stringify(r.requestConfig ?? {}), r.callbackUrl ?? null);
  if (o.piggyback) values.push(...o.piggyback.values);
  const [row] = await runText<{ n: number; c: boolean }>(db, o.raw, q.name, q.text, values);
  return { claimed: Number(row?.n ?? 0) > 0, cancelled: Boolean(row?.c), row };
}

/** `release({ deleted: true })` when the lease row was already deleted in another statement (see finishRun). */
export type TurnLease = {
  key: string;
  holder: string;
  /** The run's cancel flag as the claim saw it: the first step's cancel check, without another round trip. */
  cancelledAtClaim: boolean;
  /** The successful claim's row: with a piggyback, its columns too. */
  claimRow?: Record<string, unknown>;
  release(o?: { deleted?: boolean }): Promise<void>;
};

/** Waits for the thread's turn. Returns null when the run was cancelled while waiting. */
export async function acquireTurn(db: Db, scope: TurnScope, holder: string, o: TurnLockOptions = {}): Promise<TurnLease | null> {
  const pollMs = o.pollMs ?? 50;
  const leaseMs = o.leaseMs ?? 30_000;
  const key = turnLockKey(scope);
  let lastTouch = Date.now();
  let claim: Claim;
  for (let first = true; !(claim = await tryClaim(db, scope, holder, leaseMs, first ? o : { ...o, newRun: undefined })).claimed; first = false) {
    if (o.isCancelled && (await o.isCancelled())) return null;
    if (Date.now() - lastTouch > WAITER_TOUCH_MS) {
      await db.execute(sql`update runs set updated_at = now() where id = ${holder}`);
      lastTouch = Date.now();
    }
    await waitForWake(key, pollMs);
  }
  const timer = setInterval(() => {
    void db
      .execute(sql`update leases set expires_at = now() + ${`${leaseMs} milliseconds`}::interval where key = ${key} and holder = ${holder}`)
      .catch(() => undefined);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref?.();
  return {
    key,
    holder,
    cancelledAtClaim: claim.cancelled,
    claimRow: claim.row,
    async release(r = {}) {
      clearInterval(timer);
      if (!r.deleted) await db.execute(sql`delete from leases where key = ${key} and holder = ${holder}`);
      wake(key);
    },
  };
}

/**
 * Runs `fn` while holding the thread's turn. `holder` is a run id (ordered by runs.seq) or any unique id for work
 * that is not a run (reset, recompile, compaction). Null when cancelled while waiting.
 */
export async function withTurnLock<T>(db: Db, scope: TurnScope, holder: string, fn: () => Promise<T>, o: TurnLockOptions = {}): Promise<T | null> {
  const lease = await acquireTurn(db, scope, holder, o);
  if (!lease) return null;
  try {
    return await fn();
  } finally {
    await lease.release();
  }
}

/** The agent's default thread (kept for existing callers). */
export function withAgentTurnLock<T>(db: Db, agentId: string, holder: string, fn: () => Promise<T>, o: TurnLockOptions = {}): Promise<T | null> {
  return withTurnLock(db, { agentId }, holder, fn, o);
}
