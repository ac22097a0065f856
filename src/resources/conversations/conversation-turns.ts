// Turns inside a conversation: send (SSE by default, JSON with `streaming: false`), cancel, history.
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../actor.js';
import { runTurn } from '../../agent/run-turn.js';
import type { LoopDeps, TurnResult } from '../../agent/loop/types.js';
import { AppError, BadRequestError, UpstreamError } from '../../errors.js';
import { openSse } from '../../http/sse.js';
import { findAgent } from '../agents/agents.repo.js';
import { filterByTypes } from '../messages/letta-message.mapper.js';
import type { LettaRequest, ListMessagesQuery } from '../messages/messages.schemas.js';
import { toInputMessages, usageWire, type MessagesService } from '../messages/messages.service.js';
import { createRun, listRuns, updateRun } from '../runs/runs.repo.js';
import type { ConversationsService } from './conversations.service.js';

export type ConversationTurnsDeps = { loop: LoopDeps; conversations: ConversationsService; messages: Pick<MessagesService, 'listRows' | 'send' | 'list'> };

/** `default` + agent id, or a raw agent id, name the agent's own thread (Letta OSS aliases). */
export function agentThreadOf(ref: string, agentId?: string | null): string | null {
  if (ref.startsWith('agent-')) return ref;
  if (ref !== 'default') return null;
  if (!agentId) throw new BadRequestError("agent_id is required with conversation_id 'default'");
  return agentId;
}

const FAILED_UPSTREAM = new Set(['llm_api_error', 'invalid_llm_response', 'insufficient_credits']);

export function createConversationTurns(deps: ConversationTurnsDeps) {
  const db = deps.loop.db;

  async function start(actor: Actor, conversationId: string, body: LettaRequest, runType: string) {
    const conv = await deps.conversations.mustGet(actor, conversationId);
    if ((body.messages ?? []).some((m) => m.type === 'approval' || m.type === 'tool_return')) {
      throw new AppError('Approval responses are not supported in conversations yet', 501);
    }
    const input = toInputMessages(body);
    const requestConfig = { use_assistant_message: body.use_assistant_message, include_return_message_types: body.include_return_message_types ?? null };
    const run = await createRun(db, { orgId: actor.orgId, agentId: conv.agentId, conversationId, metadata: { run_type: runType, conversation_id: conversationId }, requestConfig });
    const turn = { actor, agentId: conv.agentId, conversationId, runId: run.id, input, maxSteps: body.max_steps, overrideModel: body.override_model ?? conv.model, overrideSystem: body.override_system ?? body.system };
    return { turn, run };
  }

  async function sendJson(actor: Actor, conversationId: string, body: LettaRequest) {
    const { turn, run } = await start(actor, conversationId, body, 'send_message');
    const result = await runTurn(deps.loop, turn);
    if (FAILED_UPSTREAM.has(result.stopReason)) {
      throw new UpstreamError(`LLM request failed: ${result.error ?? result.stopReason}`, 502, { message: result.error ?? result.stopReason, stop_reason: result.stopReason, run_id: run.id });
    }
    return {
      messages: filterByTypes(result.messages.filter((m) => m.message_type !== 'user_message'), body.include_return_message_types),
      stop_reason: { message_type: 'stop_reason' as const, stop_reason: result.stopReason },
      usage: usageWire(result),
      logprobs: null,
      turns: null,
    };
  }

  /** Step streaming: every new message as one `data:` event, then stop_reason, usage and [DONE]. */
  async function sendSse(actor: Actor, conversationId: string, body: LettaRequest, reply: FastifyReply): Promise<void> {
    const { turn, run } = await start(actor, conversationId, body, 'send_message_streaming');
    const sse = openSse(reply);
    sse.onDisconnect(() => void updateRun(db, run.id, { cancelRequested: true }).catch(() => {}));
    let result: TurnResult;
    try {
      result = await runTurn(deps.loop, turn, {
        onMessage: (m) => {
          if (m.message_type !== 'user_message' && filterByTypes([m], body.include_return_message_types).length) sse.send(m);
        },
      });
    } catch (e) {
      sse.error({ message: e instanceof Error ? e.message : String(e), run_id: run.id });
      return sse.end();
    }
    if (result.error && FAILED_UPSTREAM.has(result.stopReason)) sse.error({ message: result.error, stop_reason: result.stopReason, run_id: run.id });
    sse.send({ message_type: 'stop_reason', stop_reason: result.stopReason });
    sse.send(usageWire(result));
    sse.done();
  }

  return {
    async send(actor: Actor, conversationId: string, body: LettaRequest & { agent_id?: string | null }, reply: FastifyReply, agentIdQuery?: string) {
      const agentId = agentThreadOf(conversationId, body.agent_id ?? agentIdQuery);
      if (agentId) return deps.messages.send(actor, agentId, body, reply);
      if (body.streaming) return sendSse(actor, conversationId, body, reply);
      return sendJson(actor, conversationId, body);
    },
    /** Asks every active run of the conversation to stop at its next safe point. */
    async cancel(actor: Actor, conversationId: string): Promise<Record<string, string>> {
      await deps.conversations.mustGet(actor, conversationId);
      const active = await listRuns(db, actor.orgId, { conversationId, statuses: ['created', 'running'] }, { limit: 100, order: 'asc' });
      for (const r of active) await updateRun(db, r.id, { cancelRequested: true });
      return Object.fromEntries(active.map((r) => [r.id, 'cancelled']));
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
