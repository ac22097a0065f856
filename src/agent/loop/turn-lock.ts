// One turn at a time per agent, in arrival order (runs.seq), across every server process sharing the database.
// The lock is a row in `leases` (expiring, heart-beaten), so no pool connection is held while waiting or while
// the model thinks. A crashed holder's lease expires; a crashed waiter stops blocking once its run goes stale.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

export type TurnLockOptions = { pollMs?: number; leaseMs?: number; isCancelled?: () => boolean | Promise<boolean> };

const WAITER_STALE_S = 30;
const WAITER_TOUCH_MS = 5_000;

/** Process-local wake-ups so waiters in this process do not sleep a whole poll interval after a release. */
const wakers = new Map<string, Set<() => void>>();

function wake(agentId: string): void {
  for (const w of wakers.get(agentId) ?? []) w();
}

function waitForWake(agentId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const set = wakers.get(agentId) ?? new Set();
    wakers.set(agentId, set);
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      if (set.size === 0) wakers.delete(agentId);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}

const leaseKey = (agentId: string) => `agent-turn:${agentId}`;

/** Claims the lease and marks the run running in one statement; true when this run now holds the turn. */
async function tryClaim(db: Db, agentId: string, runId: string, leaseMs: number): Promise<boolean> {
  const res = await db.execute(sql`
    with claimed as (
      insert into leases (key, holder, expires_at)
      select ${leaseKey(agentId)}, ${runId}, now() + ${`${leaseMs} milliseconds`}::interval
      where not exists (
        select 1 from runs r
        where r.agent_id = ${agentId} and r.status = 'created' and r.id <> ${runId}
          and r.seq < (select seq from runs where id = ${runId})
          and r.updated_at > now() - ${`${WAITER_STALE_S} seconds`}::interval)
      on conflict (key) do update set holder = excluded.holder, expires_at = excluded.expires_at, created_at = now()
        where leases.expires_at < now() or leases.holder = excluded.holder
      returning holder)
    update runs set status = 'running', updated_at = now()
    where id = ${runId} and exists (select 1 from claimed)
    returning id`);
  return (res as unknown as { rows: unknown[] }).rows.length > 0;
}

export type TurnLease = { release(): Promise<void> };

/** Waits for this run's turn. Returns null when the run was cancelled while waiting. */
export async function acquireTurn(db: Db, agentId: string, runId: string, o: TurnLockOptions = {}): Promise<TurnLease | null> {
  const pollMs = o.pollMs ?? 50;
  const leaseMs = o.leaseMs ?? 30_000;
  let lastTouch = Date.now();
  while (!(await tryClaim(db, agentId, runId, leaseMs))) {
    if (o.isCancelled && (await o.isCancelled())) return null;
    if (Date.now() - lastTouch > WAITER_TOUCH_MS) {
      await db.execute(sql`update runs set updated_at = now() where id = ${runId}`);
      lastTouch = Date.now();
    }
    await waitForWake(agentId, pollMs);
  }
  const timer = setInterval(() => {
    void db
      .execute(sql`update leases set expires_at = now() + ${`${leaseMs} milliseconds`}::interval where key = ${leaseKey(agentId)} and holder = ${runId}`)
      .catch(() => undefined);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref?.();
  return {
    async release() {
      clearInterval(timer);
      await db.execute(sql`delete from leases where key = ${leaseKey(agentId)} and holder = ${runId}`);
      wake(agentId);
    },
  };
}

/** Runs `fn` while holding the agent's turn (for other agent-mutating work such as compaction). */
export async function withAgentTurnLock<T>(db: Db, agentId: string, runId: string, fn: () => Promise<T>, o: TurnLockOptions = {}): Promise<T | null> {
  const lease = await acquireTurn(db, agentId, runId, o);
  if (!lease) return null;
  try {
    return await fn();
  } finally {
    await lease.release();
  }
}
