// Runs one live agent turn (a stream, a background stream or an async job): feeds messages (whole or as token
// deltas) into the run's channel, watches for cancellation, and ends with stop_reason + usage (or an error).
import type { Logger } from 'pino';
import { runTurn } from '../agent/run-turn.js';
import type { InputMessage, LettaMessage, LoopDeps, TurnRequest, TurnResult } from '../agent/loop/types.js';
import type { StopReason } from '../agent/turn-types.js';
import type { Actor } from '../actor.js';
import { isCancelRequested, updateRun } from '../resources/runs/runs.repo.js';
import { filterByTypes } from '../agent/letta-message.mapper.js';
import { withWindowLimit } from '../resources/conversations/conversation-window.js';
import { errorChunk, usageChunk } from './turn-usage.js';
import type { RunChannel } from './run-channel.js';
import type { RunRegistry } from './run-registry.js';
import { createDeltaMapper, type DeltaMapper } from './token-deltas.js';
import { clientErrorText } from '../text/safe-detail.js';

export type TurnJob = {
  actor: Actor;
  agentId: string;
  runId: string;
  /** A conversation's turn (its own window and lock); null/absent = the agent's default thread. */
  conversationId?: string | null;
  /** The conversation's context_window_limit (clamps the model's window for this turn). */
  contextWindowLimit?: number | null;
  input: InputMessage[];
  /** Answers to a pending approval and per-request client tools (src/agent/loop/approval-request.ts). */
  approvalInput?: TurnRequest['approvalInput'];
  clientTools?: TurnRequest['clientTools'];
  maxSteps?: number;
  overrideModel?: string | null;
  overrideSystem?: string | null;
  streamTokens?: boolean;
  includeTypes?: string[] | null;
  includeCompactionMessages?: boolean;
};

export type ExecuteDeps = { loop: LoopDeps; runs: RunRegistry; log: Logger; cancelPollMs?: number };

/** Parts token streaming already delivered as deltas; the whole message is not repeated. */
const DELTA_TYPES = new Set(['assistant_message', 'reasoning_message', 'tool_call_message']);
/** The caller's own side of the turn (input, approval answers) is not echoed back, as in the JSON response. */
const INPUT_TYPES = new Set(['user_message', 'approval_response_message']);
const OK_REASONS = new Set<StopReason>(['end_turn', 'max_steps', 'tool_rule', 'requires_approval', 'cancelled']);

export async function executeTurn(deps: ExecuteDeps, job: TurnJob, channel: RunChannel): Promise<TurnResult> {
  const ac = deps.runs.register(job.runId);
  const poll = setInterval(() => {
    isCancelRequested(deps.loop.db, job.runId)
      .then((c) => (c ? ac.abort(new Error('cancelled')) : undefined))
      .catch(() => {});
  }, deps.cancelPollMs ?? 500);
  const mappers = new Map<string, DeltaMapper>();
  const visible = (m: LettaMessage) => !INPUT_TYPES.has(m.message_type) && filterByTypes([m], job.includeTypes).length > 0;
  let result: TurnResult;
  try {
    result = await runTurn(
      withWindowLimit(deps.loop, job.contextWindowLimit),
      { ...job, stream: Boolean(job.streamTokens), signal: ac.signal },
      {
        live: true,
        onMessage: async (m) => {
          if (job.streamTokens && DELTA_TYPES.has(m.message_type)) return;
          if (visible(m)) await channel.emit(m);
        },
        onDelta: ({ stepId, event, messageId }: { stepId: string; event: Parameters<DeltaMapper>[0]; messageId?: string }) => {
          let map = mappers.get(stepId);
          if (!map) {
            map = createDeltaMapper({ runId: job.runId, stepId, messageId });
            mappers.set(stepId, map);
          }
          const chunk = map(event);
          if (chunk && visible(chunk)) void channel.emit(chunk);
        },
        isCancelled: async () => ac.signal.aborted || (await isCancelRequested(deps.loop.db, job.runId)),
      },
    );
  } catch (err) {
    const detail = clientErrorText(err);
    deps.log.error({ err: detail, runId: job.runId }, 'streamed turn failed');
    await updateRun(deps.loop.db, job.runId, { status: 'failed', stopReason: 'error', error: detail, completedAt: new Date() }).catch(
      () => {},
    );
    result = {
      runId: job.runId,
      messages: [],
      stopReason: 'error',
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, stepCount: 0 },
      error: detail,
    };
  } finally {
    clearInterval(poll);
    deps.runs.unregister(job.runId);
  }
  await channel.emit({ message_type: 'stop_reason', stop_reason: result.stopReason });
  if (OK_REASONS.has(result.stopReason)) await channel.emit(usageChunk(result));
  else await channel.error(errorChunk(job.runId, result.stopReason, result.error, result.errorKind));
  await channel.close();
  return result;
}
