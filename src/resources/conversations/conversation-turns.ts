// Turns inside a conversation: send (SSE by default via the streaming service, JSON with `streaming: false`),
// cancel, resume a background stream, history.
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../actor.js';
import { approvalTurnFields } from '../../agent/loop/approval-request.js';
import { runTurn } from '../../agent/run-turn.js';
import type { LettaMessage, LoopDeps } from '../../agent/loop/types.js';
import { BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ReplayBody, StreamingService } from '../../streaming/streaming.service.js';
import { findAgent } from '../agents/agents.repo.js';
import { filterByTypes } from '../messages/letta-message.mapper.js';
import type { LettaRequest, ListMessagesQuery } from '../messages/messages.schemas.js';
import { toInputMessages, turnFailure, usageWire, type MessagesService } from '../messages/messages.service.js';
import { withWindowLimit } from './conversation-window.js';
import type { ConversationsService } from './conversations.service.js';
import type { ConversationRow } from '../../db/rows.js';

export type ConversationTurnsDeps = {
  loop: LoopDeps;
  conversations: ConversationsService;
  messages: Pick<MessagesService, 'listRows' | 'send' | 'list'>;
  streaming: Pick<StreamingService, 'stream' | 'cancel' | 'resume'>;
};
export type ResumeBody = ReplayBody & { agent_id?: string | null; run_id?: string | null };

/** `default` + agent id, or a raw agent id, name the agent's own thread (Letta OSS aliases). */
export function agentThreadOf(ref: string, agentId?: string | null): string | null {
  if (ref.startsWith('agent-')) return ref;
  if (ref !== 'default') return null;
  if (!agentId) throw new BadRequestError("agent_id is required with conversation_id 'default'");
  return agentId;
}

/** The caller's own side of the turn is not echoed back. */
const INPUT_TYPES = new Set(['user_message', 'approval_response_message']);

export function createConversationTurns(deps: ConversationTurnsDeps) {
  const db = deps.loop.db;

  async function sendJson(actor: Actor, conv: ConversationRow, body: LettaRequest) {
    const conversationId = conv.id;
    // Approval answers / client tools: 4xx before any run exists (src/agent/loop/approval-request.ts).
    const approval = await approvalTurnFields(db, actor, { agentId: conv.agentId, conversationId, contextIds: conv.messageIds }, body);
    const requestConfig = { use_assistant_message: body.use_assistant_message, include_return_message_types: body.include_return_message_types ?? null };
    // The run row is written by the turn's lock claim, as on the agent's own thread.
    const run = { id: newId('run') };
    const newRun = { orgId: actor.orgId, agentId: conv.agentId, conversationId, metadata: { run_type: 'send_message', conversation_id: conversationId }, requestConfig };
    const seen: LettaMessage[] = []; // every message in order, compaction events included
    const result = await runTurn(withWindowLimit(deps.loop, conv.contextWindowLimit), {
      actor, agentId: conv.agentId, conversationId, runId: run.id, newRun, input: approval.approvalInput ? [] : toInputMessages(body), ...approval,
      maxSteps: body.max_steps, overrideModel: body.override_model ?? conv.model, overrideSystem: body.override_system ?? body.system, includeCompactionMessages: body.include_compaction_messages,
    }, { onMessage: (m) => void seen.push(m) });
    const failed = turnFailure(result);
    if (failed) throw failed;
    return {
      messages: filterByTypes(seen.filter((m) => !INPUT_TYPES.has(m.message_type)), body.include_return_message_types),
      stop_reason: { message_type: 'stop_reason' as const, stop_reason: result.stopReason },
      usage: usageWire(result),
      logprobs: null,
      turns: null,
    };
  }

  return {
    async send(actor: Actor, conversationId: string, body: LettaRequest & { agent_id?: string | null }, reply: FastifyReply, agentIdQuery?: string) {
      const agentId = agentThreadOf(conversationId, body.agent_id ?? agentIdQuery);
      if (agentId) return deps.messages.send(actor, agentId, body, reply);
      const conv = await deps.conversations.mustGet(actor, conversationId);
      // Streams go through the live-turn machinery: token mode, pings, background runs resumable via /stream.
      if (body.streaming) return deps.streaming.stream(actor, conv.agentId, body, reply, { conversationId, model: conv.model, contextWindowLimit: conv.contextWindowLimit });
      return sendJson(actor, conv, body);
    },
    /** Asks every active run of the conversation to stop (or denies a pending approval when none runs). */
    async cancel(actor: Actor, conversationId: string): Promise<Record<string, string>> {
      const conv = await deps.conversations.mustGet(actor, conversationId);
      return deps.streaming.cancel(actor, conv.agentId, null, { conversationId });
    },
    /** Re-attaches to the thread's latest background run (POST /v1/conversations/{id}/stream). */
    async resume(actor: Actor, conversationId: string, body: ResumeBody, reply: FastifyReply) {
      const agentId = agentThreadOf(conversationId, body.agent_id);
      if (agentId) return deps.streaming.resume(actor, agentId, null, body, reply);
      const conv = await deps.conversations.mustGet(actor, conversationId);
      return deps.streaming.resume(actor, conv.agentId, conversationId, body, reply);
    },
    async listMessages(actor: Actor, conversationId: string, q: ListMessagesQuery & { agent_id?: string }) {
      const agentId = agentThreadOf(conversationId, q.agent_id);
      if (agentId) return deps.messages.list(actor, agentId, q);
      const conv = await deps.conversations.mustGet(actor, conversationId);
      const agent = await findAgent(db, actor.orgId, conv.agentId);
      return deps.messages.listRows(actor, { agentId: conv.agentId, conversationId }, q, agent?.agentType ?? 'letta_v1_agent');
    },
  };
}

export type ConversationTurns = ReturnType<typeof createConversationTurns>;
