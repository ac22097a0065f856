// Request-side checks of human-in-the-loop, run before a run is created so mistakes are 4xx answers, not failed
// runs: answers must fit the pending approval request, and new input waits until that request is answered.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError } from '../../errors.js';
import { findMessagesByIds } from '../../resources/messages/messages.repo.js';
import { pendingApprovalConflict } from '../../tools/approvals.js';
import type { ClientTool } from './approval-client-tools.js';
import { approvalMessages, validateApprovalInput } from './approval-input.js';
import { loadTurnState } from './load-state.js';

type Raw = Record<string, unknown>;
export type ApprovalTurnFields = { approvalInput?: Raw[]; clientTools?: ClientTool[] };
/** The thread a request goes to; `contextIds` are its current in-context message ids. */
export type ApprovalThread = { agentId: string; conversationId?: string | null; contextIds: string[] };
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
      throw new BadRequestError('An approval message cannot be combined with other messages: answer the approval first, then send new input');
    }
    validateApprovalInput(await loadTurnState(db, actor, t.agentId, t.conversationId), approvalInput);
    return { approvalInput, clientTools };
  }
  const lastId = t.contextIds[t.contextIds.length - 1];
  if (lastId && t.contextIds.length >= 2) {
    const [last] = await findMessagesByIds(db, actor.orgId, [lastId]);
    if (last?.role === 'approval' && last.toolCalls?.length) throw pendingApprovalConflict(last.id);
  }
  return { clientTools };
}
