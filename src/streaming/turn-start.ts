// What every live turn does before it runs: find the thread (the agent's own or one conversation), check approval
// answers against it (4xx, not a failed run), create the run, and build the TurnJob the executor/job queue runs.
import type { Actor } from '../actor.js';
import { approvalTurnFields, type ApprovalTurnFields } from '../agent/loop/approval-request.js';
import { threadHead } from '../agent/loop/thread-head.js';
import type { Db } from '../db/client.js';
import { createRun } from '../resources/runs/runs.repo.js';
import type { TurnJob } from './execute-turn.js';
import { normalizeInput, requestConfigOf, type TurnRequestBody } from './turn-request.schema.js';
import type { RunRow } from '../db/rows.js';

/** A conversation turn: its own window, lock and run tag; `model` is the conversation's model (used unless overridden). */
export type TurnOpts = { conversationId?: string | null; model?: string | null; contextWindowLimit?: number | null };

export function turnJob(actor: Actor, agentId: string, runId: string, body: TurnRequestBody, approval: ApprovalTurnFields, o: TurnOpts = {}): TurnJob {
  return {
    actor,
    agentId,
    runId,
    conversationId: o.conversationId ?? null,
    contextWindowLimit: o.contextWindowLimit ?? null,
    input: approval.approvalInput ? [] : normalizeInput(body),
    ...approval,
    maxSteps: body.max_steps,
    overrideModel: body.override_model ?? o.model ?? null,
    overrideSystem: body.override_system ?? body.system,
    streamTokens: Boolean(body.stream_tokens),
    includeTypes: body.include_return_message_types,
    includeCompactionMessages: body.include_compaction_messages,
  };
}

/** Validates, creates the run and returns it with its job; nothing is written when validation fails. */
export async function startTurn(db: Db, actor: Actor, agentId: string, body: TurnRequestBody, run: { runType: string; background: boolean }, o: TurnOpts = {}): Promise<{ run: RunRow; job: TurnJob }> {
  const head = await threadHead(db, undefined, actor, agentId, o.conversationId);
  const approval = await approvalTurnFields(db, actor, { agentId, conversationId: o.conversationId, contextIds: head.contextIds, last: head.last }, body as Parameters<typeof approvalTurnFields>[3]);
  if (!approval.approvalInput) normalizeInput(body);
  const conversationId = o.conversationId ?? null;
  const row = await createRun(db, {
    orgId: actor.orgId,
    agentId,
    conversationId,
    background: run.background,
    metadata: conversationId ? { run_type: run.runType, conversation_id: conversationId } : { run_type: run.runType },
    requestConfig: requestConfigOf(body),
    callbackUrl: body.callback_url ?? null,
  });
  return { run: row, job: turnJob(actor, agentId, row.id, body, approval, o) };
}
