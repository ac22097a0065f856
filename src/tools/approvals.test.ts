import { describe, expect, it } from 'vitest';
import {
  cancelPlan,
  collectApprovalItems,
  deniedText,
  pendingApprovalConflict,
  planApprovalResponse,
  type PendingApproval,
} from './approvals.js';

const pending: PendingApproval = {
  messageId: 'message-1',
  toolCalls: [
    { id: 'call-a', function: { name: 'delete_file', arguments: '{"path":"/x"}' } },
    { id: 'call-b', function: { name: 'client_lookup', arguments: '{}' } },
  ],
};

describe('approval responses', () => {
  it('executes approved calls, turns denials into error returns and keeps client returns', () => {
    const items = collectApprovalItems(
      [
        {
          type: 'approval',
          approvals: [
            { type: 'approval', tool_call_id: 'call-a', approve: false, reason: 'too risky' },
            { type: 'tool', tool_call_id: 'call-b', tool_return: 'found it', status: 'success' },
          ],
        },
      ],
      pending,
    )!;
    const plan = planApprovalResponse(pending, items);
    expect(plan.execute).toEqual([]);
    expect(plan.returns).toEqual([
      {
        toolCallId: 'call-a',
        name: 'delete_file',
        status: 'error',
        text: 'Error: request to call tool denied. User reason: too risky',
        stdout: null,
        stderr: null,
      },
      { toolCallId: 'call-b', name: 'client_lookup', status: 'success', text: 'found it', stdout: null, stderr: null },
    ]);
  });

  it('applies the legacy single approve flag to every pending call', () => {
    const items = collectApprovalItems([{ type: 'approval', approve: true, approval_request_id: 'message-1' }], pending)!;
    expect(planApprovalResponse(pending, items).execute.map((c) => c.id)).toEqual(['call-a', 'call-b']);
  });

  it('accepts tool_return messages and ignores plain input', () => {
    expect(collectApprovalItems([{ type: 'message', role: 'user', content: 'hi' }], pending)).toBeUndefined();
    const items = collectApprovalItems(
      [{ type: 'tool_return', tool_returns: [{ tool_call_id: 'call-a', tool_return: [{ type: 'text', text: 'done' }], status: 'error' }] }],
      pending,
    )!;
    expect(items[0]).toMatchObject({ type: 'tool', status: 'error' });
  });

  it('rejects unknown, missing or malformed answers with 400', () => {
    const only = collectApprovalItems(
      [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-a', approve: true }] }],
      pending,
    )!;
    expect(() => planApprovalResponse(pending, only)).toThrow(/unanswered: call-b/);
    const stray = collectApprovalItems(
      [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'zzz', approve: true }] }],
      pending,
    )!;
    expect(() => planApprovalResponse(pending, stray)).toThrow(/unknown tool_call_id/);
    expect(() => collectApprovalItems([{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-a' }] }], pending)).toThrow(
      /approve/,
    );
    expect(() => planApprovalResponse(undefined, only)).toThrow(/no pending/);
  });

  it('runs unanswered calls that needed no approval and checks the legacy request id', () => {
    const items = collectApprovalItems(
      [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-a', approve: false, reason: 'no' }] }],
      pending,
    )!;
    const plan = planApprovalResponse(pending, items, (c) => c.function.name === 'delete_file');
    expect(plan.execute.map((c) => c.id)).toEqual(['call-b']);
    expect(plan.returns.map((r) => r.toolCallId)).toEqual(['call-a']);
    expect(() => collectApprovalItems([{ type: 'approval', approve: true, approval_request_id: 'message-2' }], pending)).toThrow(
      /does not match/,
    );
  });

  it('cancels by denying everything and reports a pending approval as a non-retryable 409', () => {
    expect(cancelPlan(pending).returns.map((r) => r.text)).toEqual([
      deniedText('The user cancelled the request, so the tool call was denied.'),
      deniedText('The user cancelled the request, so the tool call was denied.'),
    ]);
    const err = pendingApprovalConflict('message-1');
    expect(err.status).toBe(409);
    expect(err.headers['x-should-retry']).toBe('false');
    expect(err.detail).toMatchObject({ code: 'PENDING_APPROVAL', pending_request_id: 'message-1' });
  });
});
