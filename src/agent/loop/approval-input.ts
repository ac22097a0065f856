// Answering a pending approval request inside the turn lock: validate the client's answers against the stored
// request, run the approved calls (no second approval check), record denials and client returns, and write the
// approval-response row + one tool row as one step. The loop then continues so the model reads the results.
import { BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import {
  collectApprovalItems,
  planApprovalResponse,
  type ApprovalItem,
  type ApprovalPlan,
  type PendingApproval,
  type PendingCall,
} from '../../tools/approvals.js';
import { packageToolReturn } from '../../tools/tool.js';
import { createToolRuleSolver } from '../tool-rules.js';
import { executeToolCalls, type ExecOutcome } from './execute-tools.js';
import { replayMemoryEdits } from './memory-replay.js';
import { toolRow, type RowBase, type StoredToolCall, type StoredToolReturn } from './message-rows.js';
import { systemAfter } from './commit-step.js';
import { applyStep, replaceBlocks } from './turn-state.js';
import { listAgentBlockRows } from '../../memory/block-rows.js';
import type { StepCtx } from './step-context.js';
import type { TurnState } from '../turn-types.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

const CAS_ATTEMPTS = 3;
type Raw = Record<string, unknown>;

/** The approval request waiting for an answer: the last in-context message, when it is one. */
export function pendingApproval(context: MessageRow[]): PendingApproval | undefined {
  const last = context[context.length - 1];
  if (context.length < 2 || last?.role !== 'approval' || !last.toolCalls?.length) return undefined;
  return { messageId: last.id, toolCalls: last.toolCalls as unknown as PendingCall[] };
}

/** Request messages that answer an approval (the rest is ordinary input). */
export const approvalMessages = (messages: Raw[] | null | undefined): Raw[] =>
  (messages ?? [])
    .filter((m) => m.type === 'approval' || m.type === 'tool_return' || (m.type == null && ('approve' in m || 'approval_request_id' in m)))
    .map((m) => (m.type == null ? { ...m, type: 'approval' } : m));

/** Calls that paused the turn need an answer; a plain agent tool called alongside them runs when left unanswered. */
function answerNeeded(state: Pick<TurnState, 'agent' | 'tools'>) {
  const names = state.tools.map((t) => t.name);
  const solver = createToolRuleSolver(state.agent.toolRules, names);
  return (call: PendingCall) => solver.requiresApproval(call.function.name) || !names.includes(call.function.name);
}

export type ValidatedApproval = { pending: PendingApproval; items: ApprovalItem[]; plan: ApprovalPlan };

/** Checks the answers against the pending request: 400 when nothing is pending or the ids do not match exactly. */
export function validateApprovalInput(state: Pick<TurnState, 'agent' | 'tools' | 'context'>, raw: Raw[]): ValidatedApproval {
  const pending = pendingApproval(state.context);
  if (!pending)
    throw new BadRequestError(
      'There is no pending approval request to answer: the agent is not waiting for a tool approval or tool return',
    );
  const items = collectApprovalItems(raw, pending) ?? [];
  if (items.length === 0) throw new BadRequestError('The approval message answers no tool call');
  return { pending, items, plan: planApprovalResponse(pending, items, answerNeeded(state)) };
}

function responseRow(base: RowBase, v: ValidatedApproval, raw: Raw[]): MessageInsert {
  const legacy = raw.find((m) => typeof m.approve === 'boolean' && !Array.isArray(m.approvals));
  const denied = v.items.filter((i) => i.type === 'approval' && !i.approve).length;
  return {
    ...base,
    id: newId('message'),
    role: 'approval',
    content: [],
    text: '',
    approvals: v.items as unknown as Record<string, unknown>[],
    approve: legacy ? (legacy.approve as boolean) : denied === 0,
    approvalRequestId: v.pending.messageId,
    denialReason: typeof legacy?.reason === 'string' ? legacy.reason : null,
    otid: typeof raw[0]?.otid === 'string' ? raw[0].otid : null,
  };
}

/** Tool returns in the order of the request's calls: executed results, denials and client returns. */
function returnsFor(v: ValidatedApproval, exec: ExecOutcome, tz: string, now: Date): StoredToolReturn[] {
  return v.pending.toolCalls.map((call) => {
    const done = exec.executed.find((e) => e.call.id === call.id);
    if (done) return done.ret;
    const given = v.plan.returns.find((r) => r.toolCallId === call.id);
    const status = given?.status ?? 'error';
    const text = given?.text ?? exec.invalidPrefill ?? 'not executed';
    return {
      tool_call_id: call.id,
      name: call.function.name,
      status,
      func_response: packageToolReturn(status === 'success' ? 'OK' : 'Failed', text, tz, now),
      stdout: given?.stdout ?? null,
      stderr: given?.stderr ?? null,
    };
  });
}

/** Validates and applies the answers; returns the stored rows the client should see (the tool returns). */
export async function answerApproval(c: StepCtx, raw: Raw[]): Promise<MessageRow[]> {
  const v = validateApprovalInput(c.state, raw);
  const s = c.state;
  const start = Date.now();
  const stepId = newId('step');
  const base: RowBase = {
    organizationId: c.req.actor.orgId,
    agentId: s.agent.id,
    conversationId: s.conversationId,
    runId: c.req.runId,
    stepId,
  };
  const calls: StoredToolCall[] = v.plan.execute.map((p) => ({ id: p.id, type: 'function', function: p.function }));
  let exec = await executeToolCalls(
    { deps: c.deps, db: c.deps.db, actor: c.req.actor, state: s, runId: c.req.runId, stepId },
    calls,
    c.solver,
    c.now,
  );
  const response = responseRow(base, v, raw);
  const step = {
    id: stepId,
    organizationId: c.req.actor.orgId,
    runId: c.req.runId,
    agentId: s.agent.id,
    status: 'success',
    providerName: c.model.providerName,
    providerCategory: 'base',
    model: c.model.model,
    modelHandle: c.model.handle,
    modelEndpoint: c.model.endpoint,
    toolDurationMs: Date.now() - start,
  };
  for (let attempt = 0; ; attempt++) {
    const rows = [response, toolRow(base, returnsFor(v, exec, s.agent.timezone, c.now()))];
    const system = await systemAfter(c, exec, rows.length);
    const w = await c.store.writeStep({
      thread: { agentId: s.agent.id, conversationId: s.conversationId },
      contextIds: s.context.map((m) => m.id),
      rows,
      step: { ...step, durationMs: Date.now() - start, completedAt: new Date() },
      changedBlocks: exec.changedBlocks,
      system,
      relaxed: c.deps.relaxedCommits,
    });
    if (w.ok) {
      applyStep(s, w, system);
      return w.stored.filter((r) => r.role === 'tool');
    }
    replaceBlocks(s, await listAgentBlockRows(c.deps.db, s.agent.organizationId, s.agent.id));
    exec = await replayMemoryEdits(s, exec, c.now, attempt + 1 >= CAS_ATTEMPTS);
  }
}
