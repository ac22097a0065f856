// Use cases of live turns: SSE streams (step or token mode, optionally background), async runs through the job
// queue, cancellation, and re-attaching to a background run's stream.
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import { cancelPendingApproval } from '../agent/loop/approval-cancel.js';
import type { LoopDeps } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { runs } from '../db/schema/index.js';
import { BadRequestError, ConflictError, notFound } from '../errors.js';
import { openSse } from '../http/sse.js';
import { CALLBACK_QUEUE } from '../resources/runs/run-callback.js';
import { findRunById } from '../resources/runs/run-lookup.js';
import type { JobQueue } from '../jobs/queue.js';
import { assertAgentExists } from '../resources/agents/agents.repo.js';
import { toRun } from '../resources/runs/runs.mapper.js';
import { findRun, listRuns, updateRun } from '../resources/runs/runs.repo.js';
import { executeTurn, type TurnJob } from './execute-turn.js';
import { createRunChannel } from './run-channel.js';
import { followRun } from './run-follow.js';
import type { RunRegistry } from './run-registry.js';
import { startTurn, type TurnOpts } from './turn-start.js';
import type { TurnRequestBody } from './turn-request.schema.js';

export const AGENT_RUN_QUEUE = 'agent-run';

export type StreamingDeps = { db: Db; loop: LoopDeps; runs: RunRegistry; jobs: JobQueue; log: Logger; pingMs?: number };
export type ReplayBody = { starting_after?: number; include_pings?: boolean; poll_interval?: number; batch_size?: number };

export function createStreamingService(deps: StreamingDeps) {
  const exec = { loop: deps.loop, runs: deps.runs, log: deps.log };

  async function replay(actor: Actor, runId: string, body: ReplayBody, reply: FastifyReply): Promise<void> {
    const run = await findRun(deps.db, actor.orgId, runId);
    if (!run) throw notFound('Run', runId);
    if (!run.background) throw new BadRequestError('Run was not created in background mode, so it cannot be retrieved.');
    const sse = openSse(reply);
    await followRun(
      {
        db: deps.db,
        runs: deps.runs,
        runId,
        startingAfter: body.starting_after ?? 0,
        includePings: body.include_pings ?? true,
        pollMs: Math.max(20, Math.round((body.poll_interval ?? 0.1) * 1000)),
        batchSize: body.batch_size ?? 100,
        pingMs: deps.pingMs,
      },
      sse,
    );
  }

  return {
    /** SSE turn. Validation errors happen before the headers and come back as JSON. */
    async stream(actor: Actor, agentId: string, body: TurnRequestBody, reply: FastifyReply, opts?: TurnOpts): Promise<void> {
      const background = Boolean(body.background);
      const { run, job } = await startTurn(deps.db, actor, agentId, body, { runType: 'send_message_streaming', background }, opts);
      const sse = openSse(reply);
      const channel = createRunChannel({ db: deps.db, runId: run.id, background, registry: deps.runs, sse, includePings: body.include_pings ?? true, pingMs: deps.pingMs });
      if (!background) {
        // A plain stream's client going away cancels the run at its next safe point.
        sse.onDisconnect(() => {
          deps.runs.abort(run.id, 'client disconnected');
          void updateRun(deps.db, run.id, { cancelRequested: true }).catch(() => {});
        });
      }
      const done = executeTurn(exec, job, channel).catch((e) => deps.log.error({ err: String(e) }, 'stream failed'));
      if (!background) await done;
    },

    async sendAsync(actor: Actor, agentId: string, body: TurnRequestBody, opts?: TurnOpts) {
      const { run, job } = await startTurn(deps.db, actor, agentId, body, { runType: 'send_message_async', background: true }, opts);
      const serialKey = opts?.conversationId ? `conversation:${opts.conversationId}` : `agent:${agentId}`;
      await deps.jobs.enqueue({ queue: AGENT_RUN_QUEUE, serialKey, maxAttempts: 1, payload: { runId: run.id, job }, orgId: actor.orgId });
      return toRun(run);
    },

    /** Job handler of AGENT_RUN_QUEUE. A run found already `running` was cut short by a crash: close it. */
    async runAsyncJob(payload: Record<string, unknown>): Promise<void> {
      const runId = String(payload.runId);
      const run = await findRunById(deps.db, runId);
      if (!run || ['completed', 'failed', 'cancelled'].includes(run.status)) return;
      if (run.status === 'running') {
        await updateRun(deps.db, runId, { status: 'failed', stopReason: 'error', error: 'The run was interrupted by a server restart.', completedAt: new Date() });
      } else {
        const channel = createRunChannel({ db: deps.db, runId, background: true, registry: deps.runs, includePings: false });
        await executeTurn(exec, payload.job as TurnJob, channel);
      }
      if (run.callbackUrl) await deps.jobs.enqueue({ queue: CALLBACK_QUEUE, payload: { runId }, maxAttempts: 3, orgId: run.organizationId });
    },

    /** With a conversation only its runs are cancelled, and "nothing to cancel" is an empty answer, not a 409. */
    async cancel(actor: Actor, agentId: string, runIds?: string[] | null, opts?: TurnOpts): Promise<Record<string, string>> {
      await assertAgentExists(deps.db, actor.orgId, agentId);
      const conversationId = opts?.conversationId ?? null;
      const conds = [eq(runs.organizationId, actor.orgId), eq(runs.agentId, agentId), inArray(runs.status, ['created', 'running'])];
      if (runIds?.length) conds.push(inArray(runs.id, runIds));
      if (conversationId) conds.push(eq(runs.conversationId, conversationId));
      const active = await deps.db.update(runs).set({ cancelRequested: true }).where(and(...conds)).returning({ id: runs.id });
      if (active.length === 0) {
        // Nothing running but an approval left waiting (e.g. across a restart): deny it (src/agent/loop/approval-cancel.ts).
        const denied = runIds?.length ? null : await cancelPendingApproval(deps.loop, actor, agentId, conversationId);
        if (denied) return { [denied.runId ?? denied.requestId]: 'cancelled' };
        if (conversationId) return {};
        throw new ConflictError(`No active runs to cancel for agent ${agentId}`);
      }
      const out: Record<string, string> = {};
      for (const r of active) {
        deps.runs.abort(r.id);
        out[r.id] = 'cancelled';
      }
      return out;
    },

    replay,

    /**
     * POST /v1/conversations/{id}/stream: re-attach to the thread's most recent background run (or `run_id`),
     * replaying its stored chunks and following it live. Without a conversation id: the agent's own thread.
     */
    async resume(actor: Actor, agentId: string, conversationId: string | null, body: ReplayBody & { run_id?: string | null }, reply: FastifyReply): Promise<void> {
      let runId = body.run_id ?? null;
      if (!runId) {
        const recent = await listRuns(deps.db, actor.orgId, { agentIds: [agentId], background: true, conversationId: conversationId ?? undefined }, { limit: 50, order: 'desc' });
        runId = recent.find((r) => (r.conversationId ?? null) === conversationId)?.id ?? null;
      }
      if (!runId) throw notFound('Background run of conversation', conversationId ?? agentId);
      return replay(actor, runId, body, reply);
    },
  };
}

export type StreamingService = ReturnType<typeof createStreamingService>;
