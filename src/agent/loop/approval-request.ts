// Request-side checks of human-in-the-loop, run before a run is created so mistakes are 4xx answers, not failed
// runs: answers must fit the pending approval request, and new input waits until that request is answered.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError } from '../../errors.js';
import { findMessagesByIds } from '../../memory/message-rows.js';
import { pendingApprovalConflict } from '../../tools/approvals.js';
import type { ClientTool } from './types.js';
import { approvalMessages, validateApprovalInput } from './approval-input.js';
import { loadTurnState } from '../turn-store/load.js';
import type { LastMessage } from './thread-head.js';

type Raw = Record<string, unknown>;
export type ApprovalTurnFields = { approvalInput?: Raw[]; clientTools?: ClientTool[] };
/**
 * The thread a request goes to; `contextIds` are its current in-context message ids, `last` the last of them when the
 * caller already read it (src/agent/loop/thread-head.ts; looked up here otherwise).
 */
export type ApprovalThread = { agentId: string; conversationId?: string | null; contextIds: string[]; last?: LastMessage };
type Body = { messages?: unknown[] | null; client_tools?: unknown[] | null };

/**
 * The TurnRequest fields for a request (spread them into it; with `approvalInput` pass `input: []`).
 * 400 when an approval does not match the pending request (or none is pending) or is mixed with new messages;
 * 409 PENDING_APPROVAL (x-should-retry false) when new input arrives while an approval is pending.
 */
export async function approvalTurnFields(db: Db, actor: Actor, t: ApprovalThread, body: Body): Promise<ApprovalTurnFields> {
  const clientTools = body.client_tools?.length ? (body.client_tools as ClientTool[]) : undefined;
  const approvalInput = approvalMessages(body.messages as Raw[] | null | undefined);
  if (approvalInput.length) {
    if (approvalInput.length !== body.messages!.length) {
      throw new BadRequestError(
        'An approval message cannot be combined with other messages: answer the approval first, then send new input',
      );
    }
    validateApprovalInput(await loadTurnState(db, actor, t.agentId, t.conversationId), approvalInput);
    return { approvalInput, clientTools };
  }
  const last = t.last !== undefined ? t.last : await lastInContext(db, actor, t.contextIds);
  if (last?.role === 'approval' && last.hasToolCalls) throw pendingApprovalConflict(last.id);
  return { clientTools };
}

async function lastInContext(db: Db, actor: Actor, ids: string[]): Promise<LastMessage> {
  const lastId = ids[ids.length - 1];
  if (!lastId || ids.length < 2) return null;
  const [m] = await findMessagesByIds(db, actor.orgId, [lastId]);
  return m ? { id: m.id, role: m.role, hasToolCalls: Boolean(m.toolCalls?.length) } : null;
}
