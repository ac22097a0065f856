// Phase 6: whether the turn goes on after a step, and why it stops (both loop flavours).
import type { ChatResponse } from '../../llm/types.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import type { ExecutedCall } from './execute-tools.js';
import { HEARTBEAT_FAILED, HEARTBEAT_OK, requiredToolsReason } from './message-rows.js';
import type { StopReason } from '../turn-types.js';

export type Decision = { continue: boolean; stopReason?: StopReason; heartbeatReason?: string };

const stop = (stopReason: StopReason): Decision => ({ continue: false, stopReason });

/** letta_v1_agent: any tool call continues; plain text ends the turn; terminal tools end it with `tool_rule`. */
export function decideV1(res: ChatResponse, executed: ExecutedCall[], solver: ToolRuleSolver): Decision {
  const unmet = solver.unmetRequiredBeforeExit();
  if (executed.length === 0) {
    if (unmet.length) return { continue: true, heartbeatReason: requiredToolsReason(unmet) };
    return stop(res.finishReason === 'length' ? 'max_tokens_exceeded' : 'end_turn');
  }
  const terminal = executed.some((e) => !e.violated && e.ok && solver.isTerminal(e.call.function.name));
  if (terminal && unmet.length) return { continue: true, heartbeatReason: requiredToolsReason(unmet) };
  if (terminal) return stop('tool_rule');
  return { continue: true };
}

/** Heartbeat loop: one call per step; control returns only on request, on failure, or when rules demand it. */
export function decideHeartbeat(executed: ExecutedCall[], solver: ToolRuleSolver): Decision {
  const first = executed[0];
  if (!first) return stop('no_tool_call');
  const name = first.call.function.name;
  const unmet = solver.unmetRequiredBeforeExit();
  if (first.violated || !first.ok) return { continue: true, heartbeatReason: HEARTBEAT_FAILED };
  if (solver.isTerminal(name)) {
    if (unmet.length) return { continue: true, heartbeatReason: requiredToolsReason(unmet) };
    return stop(first.heartbeat ? 'tool_rule' : 'end_turn');
  }
  if (first.heartbeat || solver.isContinue(name) || solver.mustCallTool()) return { continue: true, heartbeatReason: HEARTBEAT_OK };
  if (unmet.length) return { continue: true, heartbeatReason: requiredToolsReason(unmet) };
  return stop('end_turn');
}
