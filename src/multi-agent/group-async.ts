// POST /v1/groups/{id}/messages/async: the group conversation as a background run. The request checks the group
// and creates the run (agent: the manager, else the first member) together with its job, then returns the Run; a
// job of the durable queue runs the conversation, records usage and member run ids on the run, honours cancel
// requests between and during member turns, and posts to callback_url at the end.
//
// The run is `running` from the start rather than `created`: each member turn makes its own run, and a `created`
// run of the same agent ahead of them in the turn order would hold them back (src/agent/loop/turn-lock.ts).
import type { Actor } from '../actor.js';
import { runStatusFor } from '../agent/turn-types.js';
import type { Db } from '../db/client.js';
import type { NewJob } from '../jobs/jobs.repo.js';
import { CALLBACK_QUEUE } from '../resources/runs/run-callback.js';
import { findRunById } from '../resources/runs/run-lookup.js';
import { TERMINAL_RUN_STATUSES } from '../resources/runs/run-resume.js';
import type { GroupAsyncRequest } from '../resources/groups/groups.schemas.js';
import { toRun } from '../resources/runs/runs.mapper.js';
import { createRun, isCancelRequested, updateRun } from '../resources/runs/runs.repo.js';
import { requestConfigOf } from '../turns/turns.schemas.js';
import type { GroupChatCore } from './group-chat.js';
import { GroupCancelled, type GroupCtx } from './group-turns.js';
import { memberRunsOf, watchCancel } from './group-run-watch.js';
import { clientErrorText } from '../text/safe-detail.js';

export const GROUP_RUN_QUEUE = 'group-run';

export type GroupRunJob = { runId: string; orgId: string; userId: string; groupId: string; request: GroupAsyncRequest };

export type GroupAsyncDeps = {
  db: Db;
  chat: GroupChatCore;
  /** Inserts the job with `db` (the transaction that creates the run). */
  enqueue(job: NewJob, db: Db): Promise<unknown>;
  kick(): void;
  cancelPollMs?: number;
};

const INTERRUPTED = 'The group run was interrupted (server restart) after some members had answered; it was not run again.';

export function createGroupAsync(deps: GroupAsyncDeps) {
  async function sendAsync(actor: Actor, groupId: string, body: GroupAsyncRequest) {
    const plan = await deps.chat.prepare(actor, groupId);
    const agentId = plan.group.managerAgentId ?? plan.memberIds.find((id) => plan.byId.has(id))!;
    const run = await deps.db.transaction(async (t) => {
      const tx: Db = t;
      const row = await createRun(tx, {
        orgId: actor.orgId,
        agentId,
        background: true,
        metadata: { run_type: 'group_message_async', group_id: groupId },
        requestConfig: requestConfigOf(body as Parameters<typeof requestConfigOf>[0]),
        callbackUrl: body.callback_url ?? null,
      });
      await updateRun(tx, row.id, { status: 'running' });
      const payload: GroupRunJob = { runId: row.id, orgId: actor.orgId, userId: actor.userId, groupId, request: body };
      await deps.enqueue({ queue: GROUP_RUN_QUEUE, payload, serialKey: `group:${groupId}`, maxAttempts: 3, orgId: actor.orgId }, tx);
      return { ...row, status: 'running' };
    });
    deps.kick();
    return toRun(run);
  }

  /** Closes the run with the conversation's outcome and queues its callback. */
  async function finish(
    job: GroupRunJob,
    g: GroupCtx | null,
    outcome: { status: string; stopReason: string; error?: string },
  ): Promise<void> {
    const started = await findRunById(deps.db, job.runId);
    const durationNs = started ? (Date.now() - started.createdAt.getTime()) * 1e6 : null;
    await updateRun(deps.db, job.runId, {
      status: outcome.status,
      stopReason: outcome.stopReason,
      error: outcome.error ?? null,
      completedAt: new Date(),
      totalDurationNs: durationNs,
      ...(g
        ? {
            promptTokens: g.usage.prompt_tokens,
            completionTokens: g.usage.completion_tokens,
            totalTokens: g.usage.total_tokens,
            stepCount: g.usage.step_count,
          }
        : {}),
      metadata: { ...(started?.metadata ?? {}), run_ids: g?.runIds ?? [], ...(outcome.error ? { error: outcome.error } : {}) },
    });
    if (started?.callbackUrl)
      await deps.enqueue({ queue: CALLBACK_QUEUE, payload: { runId: job.runId }, maxAttempts: 3, orgId: job.orgId }, deps.db);
  }

  /** Job handler. A retry after a crash closes the run if members had already answered (no double delivery). */
  async function runJob(payload: Record<string, unknown>): Promise<void> {
    const job = payload as unknown as GroupRunJob;
    const run = await findRunById(deps.db, job.runId);
    if (!run || TERMINAL_RUN_STATUSES.has(run.status)) return;
    if ((await memberRunsOf(deps.db, job.runId)).length > 0)
      return finish(job, null, { status: 'failed', stopReason: 'error', error: INTERRUPTED });
    if (await isCancelRequested(deps.db, job.runId)) return finish(job, null, { status: 'cancelled', stopReason: 'cancelled' });
    const actor: Actor = { orgId: job.orgId, userId: job.userId };
    const watch = watchCancel(deps.db, job.runId, deps.cancelPollMs);
    const g = deps.chat.newCtx(actor, job.groupId, job.request, { parentRunId: job.runId, cancelled: watch.cancelled, onRun: watch.track });
    try {
      await deps.chat.run(actor, await deps.chat.prepare(actor, job.groupId), job.request, {}, g);
      const cancelled = watch.cancelled() || g.stop === 'cancelled';
      await finish(
        job,
        g,
        cancelled ? { status: 'cancelled', stopReason: 'cancelled' } : { status: runStatusFor(g.stop), stopReason: g.stop },
      );
    } catch (e) {
      if (e instanceof GroupCancelled) return finish(job, g, { status: 'cancelled', stopReason: 'cancelled' });
      await finish(job, g, { status: 'failed', stopReason: 'error', error: clientErrorText(e) });
    } finally {
      watch.stop();
    }
  }

  return { sendAsync, runJob };
}

type GroupAsync = ReturnType<typeof createGroupAsync>;
/** What the routes use: the conversation itself plus its background form. */
export type GroupChat = GroupChatCore & { sendAsync: GroupAsync['sendAsync'] };
