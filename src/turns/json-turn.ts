// A turn answered as one JSON LettaResponse: run the loop to its end, collect the agent's side of the turn.
import type { Actor } from '../actor.js';
import type { LettaMessage, LoopDeps } from '../agent/loop/types.js';
import { runTurn } from '../agent/run-turn.js';
import { HEARTBEAT_AGENT_TYPES } from '../agent/types.js';
import { newId } from '../ids.js';
import { withWindowLimit } from '../resources/conversations/conversation-window.js';
import { filterByTypes, toLettaMessages } from '../agent/letta-message.mapper.js';
import { listMessageRows } from '../resources/messages/messages.repo.js';
import { checkTurn, runMetadata, type Thread } from './turn-start.js';
import { turnFailure, usageChunk } from './turn-usage.js';
import { normalizeInput, requestConfigOf, type LettaRequest } from './turns.schemas.js';

/** Input and approval answers are the caller's side of the turn; the response carries the agent's side only. */
const INPUT_TYPES = new Set(['user_message', 'approval_response_message']);

export async function jsonTurn(loop: LoopDeps, actor: Actor, t: Thread, body: LettaRequest) {
  const { head, approval } = await checkTurn(loop.db, actor, t, body);
  const runId = newId('run');
  const newRun = {
    orgId: actor.orgId,
    agentId: t.agentId,
    conversationId: t.conversationId,
    metadata: runMetadata(t, 'send_message'),
    requestConfig: requestConfigOf(body),
  };
  const seen: LettaMessage[] = []; // every message in order, compaction events included (include_compaction_messages)
  const result = await runTurn(
    withWindowLimit(loop, t.contextWindowLimit),
    {
      actor,
      agentId: t.agentId,
      conversationId: t.conversationId,
      runId,
      newRun,
      input: approval.approvalInput ? [] : normalizeInput(body),
      ...approval,
      maxSteps: body.max_steps,
      overrideModel: body.override_model ?? t.model,
      overrideSystem: body.override_system ?? body.system,
      includeCompactionMessages: body.include_compaction_messages,
    },
    { onMessage: (m) => void seen.push(m) },
  );
  const failed = turnFailure(result);
  if (failed) throw failed;
  let messages = seen;
  if (
    !body.use_assistant_message ||
    body.assistant_message_tool_name !== 'send_message' ||
    body.assistant_message_tool_kwarg !== 'message'
  ) {
    // Other assistant-message settings: project the run's stored rows with them.
    const rows = await listMessageRows(loop.db, actor.orgId, { runId }, { limit: 10_000, order: 'asc' });
    const legacy = HEARTBEAT_AGENT_TYPES.has(head.agentType);
    messages = toLettaMessages(rows, {
      useAssistantMessage: body.use_assistant_message,
      assistantToolName: body.assistant_message_tool_name,
      assistantToolKwarg: body.assistant_message_tool_kwarg,
      legacy,
    });
  }
  return {
    messages: filterByTypes(
      messages.filter((m) => !INPUT_TYPES.has(m.message_type)),
      body.include_return_message_types,
    ),
    stop_reason: { message_type: 'stop_reason' as const, stop_reason: result.stopReason },
    usage: usageChunk(result),
    logprobs: null,
    turns: null,
  };
}
