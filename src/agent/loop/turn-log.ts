// The one log line every finished turn writes (JSON, streamed, background, async, multi-agent and sleep-time alike).
import type { Logger } from 'pino';
import type { TurnRequest } from './types.js';
import type { StopReason, TurnUsage } from '../turn-types.js';

const OK_STOPS = new Set<StopReason>(['end_turn', 'max_steps', 'tool_rule', 'requires_approval', 'cancelled']);

export type TurnEnd = { stopReason: StopReason; usage: TurnUsage; startedNs: bigint; error?: string; errorKind?: string };

export function logTurn(
  log: Logger | undefined,
  req: Pick<TurnRequest, 'actor' | 'agentId' | 'runId' | 'conversationId'>,
  end: TurnEnd,
): void {
  if (!log) return;
  const line = {
    agentId: req.agentId,
    runId: req.runId,
    ...(req.conversationId ? { conversationId: req.conversationId } : {}),
    orgId: req.actor.orgId,
    steps: end.usage.stepCount,
    promptTokens: end.usage.promptTokens,
    completionTokens: end.usage.completionTokens,
    stopReason: end.stopReason,
    ms: Math.round(Number(process.hrtime.bigint() - end.startedNs) / 1e5) / 10,
  };
  if (OK_STOPS.has(end.stopReason)) log.info(line, 'turn');
  else log.warn({ ...line, errorKind: end.errorKind, error: end.error?.slice(0, 300) }, 'turn');
}
