// Message use cases: send (one run, one turn), list/read history, reset, recompile.
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../actor.js';
import type { LettaMessage, LoopDeps, InputMessage, TurnResult } from '../../agent/loop/types.js';
import { HEARTBEAT_AGENT_TYPES } from '../../agent/types.js';
import { runTurn } from '../../agent/run-turn.js';
import { approvalTurnFields } from '../../agent/loop/approval-request.js';
import { threadHead } from '../../agent/loop/thread-head.js';
import { AppError, notFound, UpstreamError } from '../../errors.js';
import { findAgent } from '../agents/agents.repo.js';
import { newId } from '../../ids.js';
import { filterByTypes, toLettaMessages, type ProjectionOptions } from './letta-message.mapper.js';
import { findMessage, listMessageRows, type MessageFilter } from './messages.repo.js';
import type { LettaRequest, ListMessagesQuery } from './messages.schemas.js';
import { recompileSystem, resetMessages } from './messages-admin.js';
import type { MessageRow } from '../../db/rows.js';

export type StreamTurnHook = (actor: Actor, agentId: string, body: LettaRequest, reply: FastifyReply) => Promise<unknown>;
export type MessagesDeps = { loop: LoopDeps; streamTurn?: StreamTurnHook };

export function toInputMessages(body: LettaRequest): InputMessage[] {
  if (body.input != null) return [{ role: 'user', content: body.input as InputMessage['content'] }];
  return (body.messages ?? []).map((m) => m as unknown as InputMessage);
}

export function usageWire(r: TurnResult) {
  const u = r.usage;
  return {
    message_type: 'usage_statistics' as const,
    completion_tokens: u.completionTokens, prompt_tokens: u.promptTokens, total_tokens: u.totalTokens, step_count: u.stepCount,
    run_ids: [r.runId], cached_input_tokens: u.cachedInputTokens ?? null, cache_write_tokens: u.cacheWriteTokens ?? null,
    reasoning_tokens: u.reasoningTokens ?? null, context_tokens: null,
  };
}

/**
 * Newest message first, but the items one stored message expands into keep their natural order (reasoning before
 * its tool call), so a reader never sees a tool call ahead of the thinking that led to it. Cursors are message ids,
 * so paging (`after` = the last item's id) still moves strictly to older messages and ends.
 */
export function newestFirst(chronological: LettaMessage[]): LettaMessage[] {
  const groups: LettaMessage[][] = [];
  for (const m of chronological) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.id === m.id) last.push(m);
    else groups.push([m]);
  }
  return groups.reverse().flat();
}

const FAILED_UPSTREAM = new Set(['llm_api_error', 'invalid_llm_response', 'insufficient_credits']);

/**
 * A plain turn the model failed: 502, or 504 when the model did not answer in time (Letta's llm_timeout). Never
 * retried by the SDK: the input is already stored, so a retry would deliver it twice and wait the deadline again.
 */
export function turnFailure(result: TurnResult): UpstreamError | null {
  if (!FAILED_UPSTREAM.has(result.stopReason)) return null;
  const message = result.error ?? result.stopReason;
  const timeout = result.errorKind === 'timeout';
  const detail = { message, stop_reason: result.stopReason, run_id: result.runId, ...(timeout && { error_type: 'llm_timeout' }) };
  return new UpstreamError(`LLM request failed: ${message}`, timeout ? 504 : 502, detail, { 'x-should-retry': 'false' });
}

export function createMessagesService(deps: MessagesDeps) {
  const db = deps.loop.db;

  async function mustAgent(actor: Actor, agentId: string) {
    const agent = await findAgent(db, actor.orgId, agentId);
    if (!agent) throw notFound('Agent', agentId);
    return agent;
  }

  async function send(actor: Actor, agentId: string, body: LettaRequest, reply?: FastifyReply) {
    if (body.streaming) {
      if (!deps.streamTurn) throw new AppError('Streaming responses are not supported yet', 501);
      return deps.streamTurn(actor, agentId, body, reply!);
    }
    const head = await threadHead(db, deps.loop.raw, actor, agentId);
    // Approval answers / client tools (src/agent/loop/approval-request.ts): 4xx before any run exists.
    const approval = await approvalTurnFields(db, actor, { agentId, contextIds: head.contextIds, last: head.last }, body);
    const requestConfig = { use_assistant_message: body.use_assistant_message, assistant_message_tool_name: body.assistant_message_tool_name, assistant_message_tool_kwarg: body.assistant_message_tool_kwarg, include_return_message_types: body.include_return_message_types ?? null };
    // The run row is written by the turn's lock claim (one round trip less); it exists before anything else happens.
    const run = { id: newId('run') };
    const newRun = { orgId: actor.orgId, agentId, metadata: { run_type: 'send_message' }, requestConfig };
    const seen: LettaMessage[] = []; // every message in order, compaction events included (include_compaction_messages)
    const result = await runTurn(deps.loop, { actor, agentId, runId: run.id, newRun, input: approval.approvalInput ? [] : toInputMessages(body), ...approval, maxSteps: body.max_steps, overrideModel: body.override_model, overrideSystem: body.override_system ?? body.system, includeCompactionMessages: body.include_compaction_messages }, { onMessage: (m) => void seen.push(m) });
    const failed = turnFailure(result);
    if (failed) throw failed;
    let messages = seen;
    if (!body.use_assistant_message || body.assistant_message_tool_name !== 'send_message' || body.assistant_message_tool_kwarg !== 'message') {
      const rows = await listMessageRows(db, actor.orgId, { runId: run.id }, { limit: 10_000, order: 'asc' });
      messages = toLettaMessages(rows, projection(head.agentType, body));
    }
    return {
      // Input and heartbeat messages are the user's side of the turn; the response carries the agent's side only.
      messages: filterByTypes(messages.filter((m) => m.message_type !== 'user_message' && m.message_type !== 'approval_response_message'), body.include_return_message_types),
      stop_reason: { message_type: 'stop_reason' as const, stop_reason: result.stopReason },
      usage: usageWire(result),
      logprobs: null,
      turns: null,
    };
  }

  function projection(agentType: string, q: { use_assistant_message?: boolean; assistant_message_tool_name?: string; assistant_message_tool_kwarg?: string }): ProjectionOptions {
    return { useAssistantMessage: q.use_assistant_message ?? true, assistantToolName: q.assistant_message_tool_name, assistantToolKwarg: q.assistant_message_tool_kwarg, legacy: HEARTBEAT_AGENT_TYPES.has(agentType) };
  }

  /** One page of rows → messages, filtered as asked (may be empty when filters drop every message). */
  async function pageOf(actor: Actor, f: MessageFilter, q: ListMessagesQuery, agentType: string, cursor: { before?: string; after?: string }): Promise<{ rows: MessageRow[]; msgs: LettaMessage[] }> {
    const order = q.order ?? 'desc';
    const rows = await listMessageRows(db, actor.orgId, f, { ...cursor, limit: q.limit ?? 100, order });
    const chronological = order === 'desc' ? [...rows].reverse() : rows;
    let msgs = toLettaMessages(chronological, projection(agentType, q));
    if (q.include_err === false) msgs = msgs.filter((m) => !m.is_err);
    msgs = filterByTypes(msgs, q.include_return_message_types);
    return { rows, msgs: order === 'desc' ? newestFirst(msgs) : msgs };
  }

  /**
   * A page of messages. When the filters drop every message of a full page of rows, the scan goes on past it, so an
   * empty page only ever means "nothing further" (clients stop paginating at an empty page).
   */
  async function listRows(actor: Actor, f: MessageFilter, q: ListMessagesQuery, agentType: string): Promise<LettaMessage[]> {
    const limit = q.limit ?? 100;
    const reverse = Boolean(q.before && !q.after);
    let cursor = { before: q.before, after: q.after };
    for (;;) {
      const { rows, msgs } = await pageOf(actor, f, q, agentType, cursor);
      if (msgs.length > 0 || rows.length < limit) return msgs;
      // Continue the scan from the last row it reached (the first returned row when scanning backwards).
      cursor = reverse ? { ...cursor, before: rows[0]!.id } : { ...cursor, after: rows.at(-1)!.id };
    }
  }

  return {
    send,
    async list(actor: Actor, agentId: string, q: ListMessagesQuery) {
      const agent = await mustAgent(actor, agentId);
      return listRows(actor, { agentId, conversationId: q.conversation_id }, q, agent.agentType);
    },
    listRows,
    async get(actor: Actor, id: string) {
      const row = await findMessage(db, actor.orgId, id);
      if (!row) throw notFound('Message', id);
      return toLettaMessages([row]);
    },
    async reset(actor: Actor, agentId: string, addDefault: boolean) {
      await resetMessages(deps.loop, actor, agentId, addDefault);
      return null;
    },
    async recompile(actor: Actor, agentId: string, dryRun: boolean) {
      return recompileSystem(deps.loop, actor, agentId, dryRun);
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
