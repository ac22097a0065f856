// Cancelling an approval nobody will answer (the client went away, the server restarted): every pending call is
// denied with the cancellation reason, so the history stays valid and the agent accepts new input again.
import type { Actor } from '../../actor.js';
import { newId } from '../../ids.js';
import { CANCELLED_REASON, cancelPlan } from '../../tools/approvals.js';
import { packageToolReturn } from '../../tools/tool.js';
import { pendingApproval } from './approval-input.js';
import { toolRow, type RowBase } from './message-rows.js';
import { withTurnLock } from '../turn-store/lease.js';
import { loadTurnState } from '../turn-store/load.js';
import { writeInput } from '../turn-store/turn-store.js';
import type { LoopDeps } from './types.js';

export type CancelledApproval = { runId: string | null; requestId: string };

/** Denies the pending approval of the agent (or one of its conversations); null when none is pending. */
export async function cancelPendingApproval(
  deps: LoopDeps,
  actor: Actor,
  agentId: string,
  conversationId?: string | null,
): Promise<CancelledApproval | null> {
  const now = deps.now ?? (() => new Date());
  const r = await withTurnLock(
    deps.db,
    { agentId, conversationId },
    newId('job'),
    async () => {
      const state = await loadTurnState(deps.db, actor, agentId, conversationId);
      const pending = pendingApproval(state.context);
      if (!pending) return null;
      const request = state.context[state.context.length - 1]!;
      // The answer joins the run that asked (its run id may be null for a request restored from an agent file).
      const base = {
        organizationId: actor.orgId,
        agentId,
        conversationId: state.conversationId,
        runId: request.runId,
        stepId: null,
      } as RowBase;
      const approvals = pending.toolCalls.map((c) => ({ type: 'approval', tool_call_id: c.id, approve: false, reason: CANCELLED_REASON }));
      const tz = state.agent.timezone;
      const returns = cancelPlan(pending).returns.map((p) => ({
        tool_call_id: p.toolCallId,
        name: p.name,
        status: p.status,
        func_response: packageToolReturn('Failed', p.text, tz, now()),
        stdout: null,
        stderr: null,
      }));
      await writeInput(
        deps.db,
        { agentId, conversationId: state.conversationId },
        state.context.map((m) => m.id),
        [
          {
            ...base,
            id: newId('message'),
            role: 'approval',
            content: [],
            text: '',
            approvals,
            approve: false,
            approvalRequestId: pending.messageId,
            denialReason: CANCELLED_REASON,
          },
          toolRow(base, returns),
        ],
      );
      return { runId: request.runId, requestId: pending.messageId };
    },
    { pollMs: deps.lockPollMs, leaseMs: deps.leaseMs },
  );
  return r ?? null;
}
