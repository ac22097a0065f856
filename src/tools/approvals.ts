// The response side of human-in-the-loop: what a client's approval message means for a pending approval
// request. Pure functions; the loop persists the results and continues the turn (see report / loop contract).
import { z } from 'zod';
import { BadRequestError, ConflictError } from '../errors.js';

const ToolReturnItem = z.object({
  type: z.literal('tool'),
  tool_call_id: z.string().min(1),
  tool_return: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]),
  status: z.enum(['success', 'error']).default('success'),
  stdout: z.array(z.string()).nullish(),
  stderr: z.array(z.string()).nullish(),
});
const ApproveItem = z.object({
  type: z.literal('approval'),
  tool_call_id: z.string().min(1),
  approve: z.boolean(),
  reason: z.string().nullish(),
});
export const ApprovalItem = z.discriminatedUnion('type', [ApproveItem, ToolReturnItem]);
export type ApprovalItem = z.infer<typeof ApprovalItem>;

export type PendingCall = { id: string; function: { name: string; arguments: string } };
export type PendingApproval = { messageId: string; toolCalls: PendingCall[] };

/** What happens to each pending call: run it now, or record the given return without running anything. */
export type ApprovalPlan = {
  execute: PendingCall[];
  returns: {
    toolCallId: string;
    name: string;
    status: 'success' | 'error';
    text: string;
    stdout: string[] | null;
    stderr: string[] | null;
  }[];
};

export const CANCELLED_REASON = 'The user cancelled the request, so the tool call was denied.';
export const deniedText = (reason: string | null | undefined) =>
  `Error: request to call tool denied. User reason: ${reason ?? 'none given'}`;

type Raw = Record<string, unknown>;

/**
 * Collects approval items from request messages. Accepts `{type:"approval", approvals:[…]}`, the legacy single
 * form `{type:"approval", approve, approval_request_id, reason}` (applied to every pending call) and
 * `{type:"tool_return", tool_returns:[…]}`. Returns undefined when the request carries no approval at all.
 */
export function collectApprovalItems(messages: Raw[], pending: PendingApproval | undefined): ApprovalItem[] | undefined {
  const relevant = messages.filter((m) => m.type === 'approval' || m.type === 'tool_return');
  if (relevant.length === 0) return undefined;
  const items: unknown[] = [];
  for (const m of relevant) {
    if (m.type === 'tool_return') items.push(...asArray(m.tool_returns).map((r) => ({ type: 'tool', ...(r as Raw) })));
    else if (Array.isArray(m.approvals)) items.push(...(m.approvals as Raw[]).map(withItemType));
    else if (typeof m.approve === 'boolean') {
      const requestId = m.approval_request_id;
      if (pending && typeof requestId === 'string' && requestId !== pending.messageId) {
        throw new BadRequestError(`approval_request_id ${requestId} does not match the pending approval request ${pending.messageId}`);
      }
      for (const c of pending?.toolCalls ?? []) items.push({ type: 'approval', tool_call_id: c.id, approve: m.approve, reason: m.reason });
    }
  }
  const parsed = z.array(ApprovalItem).safeParse(items);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadRequestError(`Invalid approval: approvals.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** `type` is optional on the wire: an item with `approve` is an approval, one with `tool_return` a client return. */
const withItemType = (i: Raw): Raw =>
  i && typeof i === 'object' && i.type == null ? { ...i, type: 'tool_return' in i ? 'tool' : 'approval' } : i;

/**
 * Every pending call that needs an answer must be answered exactly once, and nothing else may be answered.
 * `needsAnswer` (default: every call) marks calls that required approval; the others of the same model response
 * (e.g. a plain tool called alongside an approval tool) run with the approved ones when left unanswered.
 */
export function planApprovalResponse(
  pending: PendingApproval | undefined,
  items: ApprovalItem[],
  needsAnswer: (call: PendingCall) => boolean = () => true,
): ApprovalPlan {
  if (!pending) throw new BadRequestError('There is no pending approval request to answer');
  const byId = new Map(items.map((i) => [i.tool_call_id, i]));
  const unknown = items.filter((i) => !pending.toolCalls.some((c) => c.id === i.tool_call_id)).map((i) => i.tool_call_id);
  if (unknown.length)
    throw new BadRequestError(
      `Approval answers unknown tool_call_id(s): ${unknown.join(', ')}; pending: ${pending.toolCalls.map((c) => c.id).join(', ')}`,
    );
  const missing = pending.toolCalls.filter((c) => !byId.has(c.id) && needsAnswer(c)).map((c) => c.id);
  if (missing.length) throw new BadRequestError(`Approval leaves tool_call_id(s) unanswered: ${missing.join(', ')}`);
  const plan: ApprovalPlan = { execute: [], returns: [] };
  for (const call of pending.toolCalls) {
    const item = byId.get(call.id);
    const name = call.function.name;
    if (!item || (item.type === 'approval' && item.approve)) plan.execute.push(call);
    else if (item.type === 'approval')
      plan.returns.push({ toolCallId: call.id, name, status: 'error', text: deniedText(item.reason), stdout: null, stderr: null });
    else
      plan.returns.push({
        toolCallId: call.id,
        name,
        status: item.status,
        text: clientReturnText(item.tool_return),
        stdout: item.stdout ?? null,
        stderr: item.stderr ?? null,
      });
  }
  return plan;
}

function clientReturnText(ret: string | Record<string, unknown>[]): string {
  if (typeof ret === 'string') return ret;
  return ret.map((p) => (typeof p.text === 'string' ? p.text : JSON.stringify(p))).join('\n');
}

/** Every pending call denied, e.g. when the run waiting for approval is cancelled. */
export function cancelPlan(pending: PendingApproval): ApprovalPlan {
  return {
    execute: [],
    returns: pending.toolCalls.map((c) => ({
      toolCallId: c.id,
      name: c.function.name,
      status: 'error' as const,
      text: deniedText(CANCELLED_REASON),
      stdout: null,
      stderr: null,
    })),
  };
}

/** The 409 for a plain message sent while an approval is pending. */
export function pendingApprovalConflict(pendingRequestId: string): ConflictError {
  const message = `A tool call is waiting for approval (request ${pendingRequestId}); answer it with an approval message before sending new input`;
  return new ConflictError(message, { code: 'PENDING_APPROVAL', message, pending_request_id: pendingRequestId });
}
