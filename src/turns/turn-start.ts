// What every turn does before it runs: check approval answers against its thread (4xx, not a failed run), and for
// live turns create the run and build the TurnJob the executor / job queue runs.
import type { Actor } from '../actor.js';
import { approvalTurnFields, type ApprovalTurnFields } from '../agent/loop/approval-request.js';
import { threadHead, type ThreadHead } from '../agent/loop/thread-head.js';
import type { Db } from '../db/client.js';
import { createRun } from '../resources/runs/runs.repo.js';
import type { TurnJob } from './execute-turn.js';
import { normalizeInput, requestConfigOf, type LettaRequest, type TurnRequestBody } from './turns.schemas.js';
import type { RunRow } from '../db/rows.js';

/**
 * The thread a turn goes to: the agent's own (conversationId null) or one conversation, whose `model` is used unless
 * the request overrides it and whose `contextWindowLimit` clamps the model's window.
 */
export type Thread = { agentId: string; conversationId: string | null; model?: string | null; contextWindowLimit?: number | null };

/** The thread's head and the turn's approval fields; 404 for an unknown agent or conversation, 4xx for bad answers. */
export async function checkTurn(
  db: Db,
  actor: Actor,
  t: Thread,
  body: TurnRequestBody | LettaRequest,
): Promise<{ head: ThreadHead; approval: ApprovalTurnFields }> {
  const head = await threadHead(db, actor, t.agentId, t.conversationId);
  const thread = { agentId: t.agentId, conversationId: t.conversationId, contextIds: head.contextIds, last: head.last };
  const approval = await approvalTurnFields(db, actor, thread, {
    messages: body.messages,
    client_tools: body.client_tools as unknown[] | null | undefined,
  });
  if (!approval.approvalInput) normalizeInput(body);
  return { head, approval };
}

export function runMetadata(t: Thread, runType: string): Record<string, unknown> {
  return t.conversationId ? { run_type: runType, conversation_id: t.conversationId } : { run_type: runType };
}

function turnJob(actor: Actor, t: Thread, runId: string, body: TurnRequestBody, approval: ApprovalTurnFields): TurnJob {
  return {
    actor,
    agentId: t.agentId,
    runId,
    conversationId: t.conversationId,
    contextWindowLimit: t.contextWindowLimit ?? null,
    input: approval.approvalInput ? [] : normalizeInput(body),
    ...approval,
    maxSteps: body.max_steps,
    overrideModel: body.override_model ?? t.model ?? null,
    overrideSystem: body.override_system ?? body.system,
    streamTokens: Boolean(body.stream_tokens),
    includeTypes: body.include_return_message_types,
    includeCompactionMessages: body.include_compaction_messages,
  };
}

/** Validates, creates the run and returns it with its job; nothing is written when validation fails. */
export async function startTurn(
  db: Db,
  actor: Actor,
  t: Thread,
  body: TurnRequestBody,
  run: { runType: string; background: boolean },
): Promise<{ run: RunRow; job: TurnJob }> {
  const { approval } = await checkTurn(db, actor, t, body);
  const row = await createRun(db, {
    orgId: actor.orgId,
    agentId: t.agentId,
    conversationId: t.conversationId,
    background: run.background,
    metadata: runMetadata(t, run.runType),
    requestConfig: requestConfigOf(body),
    callbackUrl: body.callback_url ?? null,
  });
  return { run: row, job: turnJob(actor, t, row.id, body, approval) };
}
