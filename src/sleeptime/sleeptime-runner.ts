// After every N-th primary turn, a durable job runs the sleep-time companion over the messages the primary
// exchanged since the last run. A lease per primary agent keeps two runs from overlapping, even across processes.
// The companion yields to primary turns in this process (src/sleeptime/primary-gate.ts): its hook, its job and
// every statement and model call of its turn wait until no primary has been busy for a moment (bounded).
import { and, asc, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import type { LettaMessage } from '../agent/loop/types.js';
import type { StopReason } from '../agent/turn-types.js';
import { queryRows, type Db } from '../db/client.js';
import { groups, messages } from '../db/schema/index.js';
import { resumeRun } from '../resources/runs/run-resume.js';
import type { NewJob } from '../jobs/jobs.repo.js';
import { findGroup, findSleeptimeGroup, loadGroupLinks } from '../resources/groups/groups.repo.js';
import type { RunAgentTurn } from '../multi-agent/turn-runner.js';
import { renderTranscript, sleeptimeReminder } from './sleeptime-text.js';
import { claimLease, releaseLease, renewLease } from './lease.js';
import type { PrimaryGate } from './primary-gate.js';
import { refreshPrimarySystem } from './primary-refresh.js';
import { shareAllPrimaryBlocks } from './sleeptime-blocks.js';

export const SLEEPTIME_QUEUE = 'sleeptime';
const MAX_TRANSCRIPT_MESSAGES = 200;
const RUN_TYPE = 'sleeptime_agent_send_message_async';

export type FinishedTurn = { actor: Actor; agentId: string; runId: string; stopReason: StopReason; messages: LettaMessage[] };
export type SleeptimeJob = { orgId: string; userId: string; groupId: string; primaryId: string };

export type SleeptimeDeps = {
  db: Db;
  /** Runs companion turns (with loop deps that wait at the gate: src/sleeptime/companion-deps.ts). */
  runTurn: RunAgentTurn;
  enqueue(job: NewJob): Promise<unknown>;
  /** Primary turns in this process; absent = never wait. */
  gate?: PrimaryGate;
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

/** The primary's messages after `after`, up to `until` when a retried job must read the same transcript again. */
async function newMessages(db: Db, primaryId: string, after: string | null, until: string | null) {
  const seqOf = (id: string) => sql`coalesce((select seq from messages where id = ${id}), 0)`;
  const conds = [eq(messages.agentId, primaryId), ne(messages.role, 'system')];
  if (after) conds.push(gt(messages.seq, seqOf(after)));
  if (until) conds.push(lte(messages.seq, seqOf(until)));
  return db
    .select()
    .from(messages)
    .where(and(...conds))
    .orderBy(asc(messages.seq))
    .limit(MAX_TRANSCRIPT_MESSAGES);
}

type PriorRun = { id: string; agent_id: string; until: string | null };

/** Runs an earlier attempt of this job created for the companions (the job's key is their idempotency key). */
function priorRuns(db: Db, companionIds: string[], jobKey: string): Promise<PriorRun[]> {
  if (companionIds.length === 0) return Promise.resolve([]);
  return queryRows<PriorRun>(
    db,
    sql`select id, agent_id, metadata->>'transcript_until' as until from runs
    where agent_id in (${sql.join(
      companionIds.map((id) => sql`${id}`),
      sql`, `,
    )})
      and metadata->>'sleeptime_job' = ${jobKey} order by seq`,
  );
}

export function createSleeptimeRunner(deps: SleeptimeDeps) {
  const leaseMs = deps.leaseMs ?? 60_000;
  const idle = () => deps.gate?.idle() ?? Promise.resolve();

  /** The loop's turn hook: waits for the primaries to settle, then one indexed lookup when there is no group. */
  async function afterTurn(t: FinishedTurn): Promise<void> {
    if (t.messages.length === 0) return;
    await idle();
    const group = await findSleeptimeGroup(deps.db, t.actor.orgId, t.agentId);
    if (!group || !(await countTurn(deps.db, group.id, group.sleeptimeAgentFrequency ?? 1))) return;
    const payload: SleeptimeJob = { orgId: t.actor.orgId, userId: t.actor.userId, groupId: group.id, primaryId: t.agentId };
    await deps.enqueue({ queue: SLEEPTIME_QUEUE, payload, serialKey: `sleeptime:${t.agentId}`, orgId: t.actor.orgId });
  }

  async function processLocked(job: SleeptimeJob, jobKey: string): Promise<void> {
    const group = await findGroup(deps.db, job.orgId, job.groupId);
    if (!group) return;
    const members = (await loadGroupLinks(deps.db, [group.id])).get(group.id)!.agentIds;
    const prior = await priorRuns(deps.db, members, jobKey);
    const rows = await newMessages(deps.db, job.primaryId, group.lastProcessedMessageId, prior[0]?.until ?? null);
    if (rows.length === 0) return;
    const actor: Actor = { orgId: job.orgId, userId: job.userId };
    await shareAllPrimaryBlocks(deps.db, job.orgId, job.primaryId, members);
    const input = [{ role: 'user' as const, content: sleeptimeReminder(renderTranscript(rows)) }];
    const until = rows[rows.length - 1]!.id;
    const metadata = {
      run_type: RUN_TYPE,
      group_id: group.id,
      primary_agent_id: job.primaryId,
      sleeptime_job: jobKey,
      transcript_until: until,
    };
    let ran = false;
    for (const agentId of members) {
      const earlier = prior.find((r) => r.agent_id === agentId);
      // A retried job does not run a companion twice over the same transcript.
      if (earlier && (await resumeRun(deps.db, earlier.id)) === 'skip') continue;
      await idle();
      await deps.runTurn({ actor, agentId, input, runId: earlier?.id, metadata });
      ran = true;
    }
    await idle();
    if (ran)
      await refreshPrimarySystem(deps.db, actor, job.primaryId).catch((err) =>
        deps.log?.warn({ err, agentId: job.primaryId }, 'could not refresh the primary system message'),
      );
    await deps.db.update(groups).set({ lastProcessedMessageId: until, updatedAt: sql`now()` }).where(eq(groups.id, group.id));
  }

  /** Job handler. A busy lease throws, so the queue retries the job later instead of running two at once. */
  async function handle(payload: Record<string, unknown>, holder: string, jobKey: string = holder): Promise<void> {
    const job = payload as SleeptimeJob;
    const key = `sleeptime:${job.primaryId}`;
    await idle();
    if (!(await claimLease(deps.db, key, holder, leaseMs))) throw new Error(`sleep-time agent of ${job.primaryId} is already running`);
    const beat = setInterval(() => void renewLease(deps.db, key, holder, leaseMs).catch(() => {}), Math.max(50, leaseMs / 3));
    try {
      await processLocked(job, jobKey);
    } finally {
      clearInterval(beat);
      await releaseLease(deps.db, key, holder);
    }
  }

  return { afterTurn, handle };
}
