// Sending a message, every way: a JSON turn, an SSE turn (step or token mode, optionally background), an async run
// through the job queue, cancellation, and following a background run's events. Returns data and event streams;
// the routes turn them into HTTP.
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import type { LoopDeps } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { BadRequestError, notFound } from '../errors.js';
import type { JobQueue } from '../jobs/queue.js';
import { CALLBACK_QUEUE } from '../resources/runs/run-callback.js';
import { findRunById } from '../resources/runs/run-lookup.js';
import { toRun } from '../resources/runs/runs.mapper.js';
import { findRun, listRuns, updateRun } from '../resources/runs/runs.repo.js';
import { executeTurn, type TurnJob } from './execute-turn.js';
import { jsonTurn } from './json-turn.js';
import { createRunChannel } from './run-channel.js';
import { followRun } from './run-follow.js';
import type { RunRegistry } from './run-registry.js';
import { cancelRuns } from './turn-cancel.js';
import { createEventQueue, type TurnEvent } from './turn-events.js';
import { startTurn } from './turn-start.js';
import { resolveThread, type ThreadRef } from './turn-thread.js';
import type { LettaRequest, ReplayBody, TurnRequestBody } from './turns.schemas.js';

export const AGENT_RUN_QUEUE = 'agent-run';

export type TurnsDeps = { db: Db; loop: LoopDeps; runs: RunRegistry; jobs: JobQueue; log: Logger; pingMs?: number };
/** A live turn: its run id and its events, ending with stop_reason + usage_statistics (or an error_message). */
export type TurnStream = { runId: string; events: AsyncIterable<TurnEvent> };

export function createTurnsService(deps: TurnsDeps) {
  const exec = { loop: deps.loop, runs: deps.runs, log: deps.log };
  const thread = (actor: Actor, ref: ThreadRef) => resolveThread(deps.db, actor, ref);

  /** A background run's stored events after `starting_after`, then live ones, until it ends or `signal` aborts. */
  async function follow(actor: Actor, runId: string, body: ReplayBody, signal?: AbortSignal): Promise<AsyncIterable<TurnEvent>> {
    const run = await findRun(deps.db, actor.orgId, runId);
    if (!run) throw notFound('Run', runId);
    if (!run.background) throw new BadRequestError('Run was not created in background mode, so it cannot be retrieved.');
    const pollMs = Math.max(20, Math.round((body.poll_interval ?? 0.1) * 1000));
    const o = {
      db: deps.db,
      runs: deps.runs,
      runId,
      startingAfter: body.starting_after ?? 0,
      includePings: body.include_pings ?? true,
      pollMs,
      batchSize: body.batch_size ?? 100,
      pingMs: deps.pingMs,
    };
    return followRun(o, signal);
  }

  return {
    /** One turn answered as a LettaResponse; a model failure is a 502/504. */
    async send(actor: Actor, ref: ThreadRef, body: LettaRequest) {
      return jsonTurn(deps.loop, actor, await thread(actor, ref), body);
    },

    /**
     * A live turn. Validation errors are thrown before any event. `signal` aborts when the reader leaves: a plain
     * stream's run is then cancelled at its next safe point; a background run goes on (its events are stored).
     */
    async stream(actor: Actor, ref: ThreadRef, body: TurnRequestBody, signal?: AbortSignal): Promise<TurnStream> {
      const background = Boolean(body.background);
      const { run, job } = await startTurn(deps.db, actor, await thread(actor, ref), body, {
        runType: 'send_message_streaming',
        background,
      });
      const live = createEventQueue(signal);
      const channel = createRunChannel({
        db: deps.db,
        runId: run.id,
        background,
        registry: deps.runs,
        live,
        includePings: body.include_pings ?? true,
        pingMs: deps.pingMs,
      });
      if (!background) {
        signal?.addEventListener(
          'abort',
          () => {
            deps.runs.abort(run.id, 'client disconnected');
            void updateRun(deps.db, run.id, { cancelRequested: true }).catch(() => {});
          },
          { once: true },
        );
      }
      void executeTurn(exec, job, channel)
        .catch((e) => deps.log.error({ err: String(e) }, 'stream failed'))
        .finally(() => live.end());
      return { runId: run.id, events: live };
    },

    /** Creates the run and queues it; the Run comes back at once. */
    async sendAsync(actor: Actor, ref: ThreadRef, body: TurnRequestBody) {
      const t = await thread(actor, ref);
      const { run, job } = await startTurn(deps.db, actor, t, body, { runType: 'send_message_async', background: true });
      const serialKey = t.conversationId ? `conversation:${t.conversationId}` : `agent:${t.agentId}`;
      await deps.jobs.enqueue({ queue: AGENT_RUN_QUEUE, serialKey, maxAttempts: 1, payload: { runId: run.id, job }, orgId: actor.orgId });
      return toRun(run);
    },

    /** Job handler of AGENT_RUN_QUEUE. A run found already `running` was cut short by a crash: close it. */
    async runAsyncJob(payload: Record<string, unknown>): Promise<void> {
      const runId = String(payload.runId);
      const run = await findRunById(deps.db, runId);
      if (!run || ['completed', 'failed', 'cancelled'].includes(run.status)) return;
      if (run.status === 'running') {
        await updateRun(deps.db, runId, {
          status: 'failed',
          stopReason: 'error',
          error: 'The run was interrupted by a server restart.',
          completedAt: new Date(),
        });
      } else {
        const channel = createRunChannel({ db: deps.db, runId, background: true, registry: deps.runs, includePings: false });
        await executeTurn(exec, payload.job as TurnJob, channel);
      }
      if (run.callbackUrl)
        await deps.jobs.enqueue({ queue: CALLBACK_QUEUE, payload: { runId }, maxAttempts: 3, orgId: run.organizationId });
    },

    async cancel(actor: Actor, ref: ThreadRef, runIds?: string[] | null): Promise<Record<string, string>> {
      const emptyOk = ref.conversationId !== undefined;
      return cancelRuns(deps.loop, deps.runs, actor, await thread(actor, ref), { runIds, emptyOk });
    },

    follow,

    /** Re-attaches to the thread's most recent background run (or `run_id`): its stored events, then live ones. */
    async resume(
      actor: Actor,
      ref: ThreadRef,
      body: ReplayBody & { run_id?: string | null },
      signal?: AbortSignal,
    ): Promise<AsyncIterable<TurnEvent>> {
      const t = await thread(actor, ref);
      let runId = body.run_id ?? null;
      if (!runId) {
        const filter = { agentIds: [t.agentId], background: true, conversationId: t.conversationId ?? undefined };
        const recent = await listRuns(deps.db, actor.orgId, filter, { limit: 50, order: 'desc' });
        runId = recent.find((r) => (r.conversationId ?? null) === t.conversationId)?.id ?? null;
        if (!runId) throw notFound('Background run of conversation', t.conversationId ?? t.agentId);
      }
      return follow(actor, runId, body, signal);
    },
  };
}

export type TurnsService = ReturnType<typeof createTurnsService>;
