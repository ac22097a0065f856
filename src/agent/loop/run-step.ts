// One step: build the request, call the model, run tools, decide, persist — then report the new messages.
import { isLlmError, stopReasonFor } from '../../llm/llm-error.js';
import type { ChatResponse, Usage } from '../../llm/types.js';
import { newId } from '../../ids.js';
import { clipReply, DEFAULT_MAX_REPLY_CHARS } from '../clip-text.js';
import { HEARTBEAT_AGENT_TYPES } from '../types.js';
import { allowedLlmTools, buildChatRequest, toLlmMessages, toolChoiceFor } from './build-request.js';
import { needsApproval, withClientTools } from './approval-client-tools.js';
import { callModel } from './call-model.js';
import { commitStep, decideStep, stepRows, type StepParts } from './commit-step.js';
import type { Decision } from './decide.js';
import { executeToolCalls } from './execute-tools.js';
import { assistantRow, toStoredCall, type RowBase } from './message-rows.js';
import type { StepInsert } from '../turn-store/turn-store.js';
import { compileFresh } from './recompile-system.js';
import type { StepCtx } from './step-context.js';
import type { LettaMessage } from './types.js';
import type { StopReason } from '../turn-types.js';
import type { MessageRow } from '../../db/rows.js';

export type StepResult = {
  decision: Decision;
  usage?: Usage;
  stored: MessageRow[];
  llmMs?: number;
  error?: string;
  errorKind?: string;
  finished?: boolean;
};

/** The model server's host for logs (never its path or credentials). */
const hostOf = (endpoint: string) => (URL.canParse(endpoint) ? new URL(endpoint).host : endpoint);

function stepRow(c: StepCtx, id: string, start: number, extra: Partial<StepInsert>): StepInsert {
  const cfg = c.state.agent.llmConfig;
  return {
    id,
    organizationId: c.req.actor.orgId,
    runId: c.req.runId,
    agentId: c.state.agent.id,
    status: 'success',
    providerName: c.model.providerName,
    providerCategory: 'base',
    model: c.model.model,
    modelHandle: c.model.handle,
    modelEndpoint: c.model.endpoint,
    contextWindowLimit: cfg.context_window ?? c.model.contextWindow,
    durationMs: Date.now() - start,
    completedAt: new Date(),
    ...extra,
  };
}

const usageCols = (u: Usage) => ({
  promptTokens: u.promptTokens,
  completionTokens: u.completionTokens,
  totalTokens: u.totalTokens,
  cachedInputTokens: u.cachedInputTokens ?? null,
  cacheWriteTokens: u.cacheWriteTokens ?? null,
  reasoningTokens: u.reasoningTokens ?? null,
});

async function request(c: StepCtx, stepId: string, messageId: string): Promise<ChatResponse> {
  // Compaction hook (streaming/compaction owner): summarize before the call at 90% of the window; on a provider
  // context-overflow error force it and retry (at most 3 times).
  const compact = c.deps.compact;
  const emit = c.req.includeCompactionMessages ? (m: LettaMessage) => c.sink.onMessage?.(m) : undefined;
  if (compact) await compact({ state: c.state, model: c.model, runId: c.req.runId, signal: c.req.signal, emit });
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce(c, stepId, messageId);
    } catch (e) {
      if (!compact || attempt >= 3 || !isLlmError(e) || !e.isContextOverflow) throw e;
      const r = await compact({ state: c.state, model: c.model, runId: c.req.runId, signal: c.req.signal, force: true, emit });
      if (!r.compacted) throw e;
    }
  }
}

async function requestOnce(c: StepCtx, stepId: string, messageId: string): Promise<ChatResponse> {
  const rules = c.state.agent.toolRules;
  const tools = withClientTools(allowedLlmTools(c.state, c.solver), c.req.clientTools);
  const system = c.req.overrideSystem ? compileFresh(c.state, c.now(), c.req.overrideSystem).text : undefined;
  const chat = buildChatRequest(
    c.model.model,
    c.state.agent.llmConfig,
    toLlmMessages(c.state.context, system),
    tools,
    toolChoiceFor(c.state.agent.agentType, tools, c.solver),
    rules.some((r) => r.type !== 'requires_approval'),
  );
  return callModel(c.model.provider, { ...chat, signal: c.req.signal }, Boolean(c.req.stream), stepId, messageId, c.sink);
}

/** A step that stored no messages (the model call failed, was cancelled or gave nothing usable). */
async function failedStep(c: StepCtx, step: StepInsert): Promise<void> {
  await c.store.writeStep({
    thread: { agentId: c.state.agent.id, conversationId: c.state.conversationId },
    contextIds: c.state.context.map((m) => m.id),
    rows: [],
    step,
  });
}

export async function runStep(c: StepCtx, stepId: string, isLast: boolean): Promise<StepResult> {
  const start = Date.now();
  const messageId = newId('message');
  let res: ChatResponse;
  try {
    res = clipReply(await request(c, stepId, messageId), c.deps.limits?.replyChars ?? DEFAULT_MAX_REPLY_CHARS);
  } catch (e) {
    const reason: StopReason = isLlmError(e) ? stopReasonFor(e) : ((e as { stopReason?: StopReason }).stopReason ?? 'llm_api_error');
    const msg = e instanceof Error ? e.message : String(e);
    const errorKind = isLlmError(e) ? e.kind : undefined;
    if (reason !== 'cancelled')
      c.deps.log?.warn(
        {
          agentId: c.state.agent.id,
          runId: c.req.runId,
          stepId,
          provider: c.model.providerName,
          host: hostOf(c.model.endpoint),
          model: c.model.model,
          kind: errorKind,
          err: msg,
        },
        'model call failed',
      );
    await failedStep(
      c,
      stepRow(c, stepId, start, {
        status: reason === 'cancelled' ? 'cancelled' : 'failed',
        stopReason: reason,
        errorType: isLlmError(e) ? e.kind : 'error',
        errorData: { message: msg },
      }),
    );
    return { decision: { continue: false, stopReason: reason }, stored: [], error: msg, errorKind };
  }
  const llmMs = Date.now() - start;
  // Cancelled while the model was thinking: drop the reply so no tool call is stored without its return (a reply
  // without tool calls gets the same check inside its write, see commitStep).
  const folded = c.foldCancelCheck && res.toolCalls.length === 0;
  if (!folded && c.sink.isCancelled && (await c.sink.isCancelled())) {
    await failedStep(
      c,
      stepRow(c, stepId, start, { status: 'cancelled', stopReason: 'cancelled', llmDurationMs: llmMs, ...usageCols(res.usage) }),
    );
    return { decision: { continue: false, stopReason: 'cancelled' }, stored: [], usage: res.usage, llmMs };
  }
  return handleResponse(c, stepId, start, res, llmMs, isLast, messageId);
}

async function handleResponse(
  c: StepCtx,
  stepId: string,
  start: number,
  res: ChatResponse,
  llmMs: number,
  isLast: boolean,
  messageId: string,
): Promise<StepResult> {
  const heartbeatLoop = HEARTBEAT_AGENT_TYPES.has(c.state.agent.agentType);
  const parallel = Boolean(c.state.agent.llmConfig.parallel_tool_calls) && !heartbeatLoop;
  const calls = (parallel ? res.toolCalls : res.toolCalls.slice(0, 1)).map(toStoredCall);
  const base: RowBase = {
    organizationId: c.req.actor.orgId,
    agentId: c.state.agent.id,
    conversationId: c.state.conversationId,
    runId: c.req.runId,
    stepId,
    model: c.model.model,
  };
  if (heartbeatLoop && calls.length === 0) {
    await failedStep(
      c,
      stepRow(c, stepId, start, {
        status: 'failed',
        stopReason: 'no_tool_call',
        llmDurationMs: llmMs,
        ...usageCols(res.usage),
        errorType: 'no_tool_call',
        errorData: { message: 'model did not call a tool' },
      }),
    );
    return {
      decision: { continue: false, stopReason: 'no_tool_call' },
      stored: [],
      usage: res.usage,
      llmMs,
      error: 'No tool calls found in response, model must make a tool call',
    };
  }
  // Nothing usable (no text, no tool call, no reasoning) and not cut off by max_tokens: the reply is invalid.
  if (!heartbeatLoop && calls.length === 0 && !res.text.trim() && res.reasoning.length === 0 && res.finishReason !== 'length') {
    await failedStep(
      c,
      stepRow(c, stepId, start, {
        status: 'failed',
        stopReason: 'invalid_llm_response',
        llmDurationMs: llmMs,
        ...usageCols(res.usage),
        errorType: 'invalid_response',
        errorData: { message: 'empty response' },
      }),
    );
    return {
      decision: { continue: false, stopReason: 'invalid_llm_response' },
      stored: [],
      usage: res.usage,
      llmMs,
      error: 'The model returned an empty response (no text and no tool call)',
    };
  }
  if (calls.some((call) => needsApproval(c.solver, c.req, call.function.name))) {
    const decision: Decision = { continue: false, stopReason: 'requires_approval' };
    const stepFor = () => stepRow(c, stepId, start, { stopReason: 'requires_approval', llmDurationMs: llmMs, ...usageCols(res.usage) });
    const done = await commitStep(c, stepFor, { rows: [assistantRow(base, res, calls, 'approval', messageId)], decision });
    return { decision, usage: res.usage, stored: done.stored, llmMs };
  }
  const t0 = Date.now();
  const exec = await executeToolCalls(
    { deps: c.deps, db: c.deps.db, actor: c.req.actor, state: c.state, runId: c.req.runId, stepId },
    calls,
    c.solver,
    c.now,
  );
  const toolMs = Date.now() - t0;
  const p: StepParts = { base, res, calls, messageId, isLast, llmMs };
  const decision = decideStep(c, p, exec);
  const stepFor = (d: Decision) =>
    stepRow(c, stepId, start, {
      stopReason: d.continue ? null : d.stopReason,
      llmDurationMs: llmMs,
      toolDurationMs: toolMs,
      ...usageCols(res.usage),
    });
  const done = await commitStep(c, stepFor, { rows: stepRows(c, p, exec, decision), decision }, exec, p);
  return { decision: done.decision, usage: res.usage, stored: done.stored, llmMs, finished: done.finished };
}
