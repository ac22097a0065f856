// After every N-th primary turn, a durable job runs the sleep-time companion over the messages the primary
// exchanged since the last run. A lease per primary agent keeps two runs from overlapping, even across processes.
import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import type { LettaMessage, StopReason } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { groups, messages } from '../db/schema/index.js';
import type { NewJob } from '../jobs/jobs.repo.js';
import { findGroup, findSleeptimeGroup, loadGroupLinks } from '../resources/groups/groups.repo.js';
import type { RunAgentTurn } from '../multi-agent/turn-runner.js';
import { renderTranscript, sleeptimeReminder } from './sleeptime-text.js';
import { claimLease, releaseLease, renewLease } from './lease.js';

export const SLEEPTIME_QUEUE = 'sleeptime';
const MAX_TRANSCRIPT_MESSAGES = 200;

export type FinishedTurn = { actor: Actor; agentId: string; runId: string; stopReason: StopReason; messages: LettaMessage[] };
export type SleeptimeJob = { orgId: string; userId: string; groupId: string; primaryId: string };

/**
 * The companion starts a moment after the primary's turn, so its first steps (CPU and, on the embedded database,
 * the one connection) do not compete with the primary's reply still on its way out.
 */
export const SLEEPTIME_START_DELAY_MS = 150;

export type SleeptimeDeps = {
  db: Db;
  runTurn: RunAgentTurn;
  enqueue(job: NewJob): Promise<unknown>;
  /** Wakes the job worker once the delayed job is due (otherwise it waits for its next poll). */
  kick?(): void;
  startDelayMs?: number;
  log?: Logger;
  leaseMs?: number;
};

/** Advances the group's turn counter; true when this turn is one the companion should follow. */
async function countTurn(db: Db, groupId: string, frequency: number): Promise<boolean> {
  const [r] = await db
    .update(groups)
    .set({ turnsCounter: sql`(${groups.turnsCounter} + 1) % ${frequency}` })
    .where(eq(groups.id, groupId))
    .returning({ c: groups.turnsCounter });
  return r?.c === 0;
}

async function newMessages(db: Db, primaryId: string, after: string | null) {
  const conds = [eq(messages.agentId, primaryId), ne(messages.role, 'system')];
  if (after) conds.push(gt(messages.seq, sql`coalesce((select seq from messages where id = ${after}), 0)`));
  return db.select().from(messages).where(and(...conds)).orderBy(asc(messages.seq)).limit(MAX_TRANSCRIPT_MESSAGES);
}

export function createSleeptimeRunner(deps: SleeptimeDeps) {
  const leaseMs = deps.leaseMs ?? 60_000;

  /** The loop's turn hook: cheap when the agent has no sleep-time group (one indexed lookup). */
  async function afterTurn(t: FinishedTurn): Promise<void> {
    if (t.messages.length === 0) return;
    const group = await findSleeptimeGroup(deps.db, t.agentId);
    if (!group || !(await countTurn(deps.db, group.id, group.sleeptimeAgentFrequency ?? 1))) return;
    const payload: SleeptimeJob = { orgId: t.actor.orgId, userId: t.actor.userId, groupId: group.id, primaryId: t.agentId };
    const delayMs = deps.startDelayMs ?? SLEEPTIME_START_DELAY_MS;
    await deps.enqueue({ queue: SLEEPTIME_QUEUE, payload, serialKey: `sleeptime:${t.agentId}`, orgId: t.actor.orgId, delayMs });
    if (deps.kick) setTimeout(deps.kick, delayMs + 10).unref();
  }

  async function processLocked(job: SleeptimeJob): Promise<void> {
    const group = await findGroup(deps.db, job.orgId, job.groupId);
    if (!group) return;
    const rows = await newMessages(deps.db, job.primaryId, group.lastProcessedMessageId);
    if (rows.length === 0) return;
    const actor: Actor = { orgId: job.orgId, userId: job.userId };
    const members = (await loadGroupLinks(deps.db, [group.id])).get(group.id)!.agentIds;
    const input = [{ role: 'user' as const, content: sleeptimeReminder(renderTranscript(rows)) }];
    for (const agentId of members) {
      await deps.runTurn({ actor, agentId, input, metadata: { run_type: 'sleeptime_agent_send_message_async', group_id: group.id, primary_agent_id: job.primaryId } });
    }
    await deps.db.update(groups).set({ lastProcessedMessageId: rows[rows.length - 1]!.id, updatedAt: sql`now()` }).where(eq(groups.id, group.id));
  }

  /** Job handler. A busy lease throws, so the queue retries the job later instead of running two at once. */
  async function handle(payload: Record<string, unknown>, holder: string): Promise<void> {
    const job = payload as SleeptimeJob;
    const key = `sleeptime:${job.primaryId}`;
    if (!(await claimLease(deps.db, key, holder, leaseMs))) throw new Error(`sleep-time agent of ${job.primaryId} is already running`);
    const beat = setInterval(() => void renewLease(deps.db, key, holder, leaseMs).catch(() => {}), Math.max(50, leaseMs / 3));
    try {
      await processLocked(job);
    } finally {
      clearInterval(beat);
      await releaseLease(deps.db, key, holder);
    }
  }

  return { afterTurn, handle };
}

export type SleeptimeRunner = ReturnType<typeof createSleeptimeRunner>;
