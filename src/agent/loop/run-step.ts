// One step: build the request, call the model, run tools, decide, persist — then report the new messages.
import { isLlmError, stopReasonFor } from '../../llm/llm-error.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import type { ChatResponse, Usage } from '../../llm/types.js';
import { newId } from '../../ids.js';
import type { MessageInsert } from '../../resources/messages/messages.repo.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import { HEARTBEAT_AGENT_TYPES, type ToolRule } from '../types.js';
import { allowedLlmTools, buildChatRequest, toLlmMessages, toolChoiceFor } from './build-request.js';
import { callModel } from './call-model.js';
import { decideHeartbeat, decideV1, type Decision } from './decide.js';
import { executeToolCalls, type ExecOutcome } from './execute-tools.js';
import { assistantRow, heartbeatRow, toolRow, toStoredCall, type RowBase, type StoredToolReturn } from './message-rows.js';
import { insertStep, persistStep, type StepInsert } from './persist-step.js';
import { compileFresh, recompileIfChanged } from './recompile-system.js';
import type { LoopDeps, TurnRequest, TurnSink, TurnState, StopReason } from './types.js';
import type { MessageRow } from '../../resources/messages/messages.repo.js';

export type StepCtx = { deps: LoopDeps; req: TurnRequest; sink: TurnSink; state: TurnState; solver: ToolRuleSolver; model: ResolvedModel; now: () => Date };
export type StepResult = { decision: Decision; usage?: Usage; stored: MessageRow[]; llmMs?: number; error?: string };

type LlmCfg = { temperature?: number; max_tokens?: number | null; parallel_tool_calls?: boolean; context_window?: number };

function stepRow(c: StepCtx, id: string, start: number, extra: Partial<StepInsert>): StepInsert {
  const cfg = c.state.agent.llmConfig as LlmCfg;
  return {
    id, organizationId: c.req.actor.orgId, runId: c.req.runId, agentId: c.state.agent.id, status: 'success',
    providerName: c.model.providerName, providerCategory: 'base', model: c.model.model, modelHandle: c.model.handle,
    modelEndpoint: c.model.endpoint, contextWindowLimit: cfg.context_window ?? c.model.contextWindow,
    durationMs: Date.now() - start, completedAt: new Date(), ...extra,
  };
}

const usageCols = (u: Usage) => ({ promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens, cachedInputTokens: u.cachedInputTokens ?? null, cacheWriteTokens: u.cacheWriteTokens ?? null, reasoningTokens: u.reasoningTokens ?? null });

async function request(c: StepCtx, stepId: string, messageId: string): Promise<ChatResponse> {
  const rules = c.state.agent.toolRules as ToolRule[];
  const tools = allowedLlmTools(c.state, c.solver);
  const system = c.req.overrideSystem ? compileFresh(c.state, c.now(), c.req.overrideSystem).text : undefined;
  const chat = buildChatRequest(c.model.model, c.state.agent.llmConfig as LlmCfg, toLlmMessages(c.state.context, system), tools,
    toolChoiceFor(c.state.agent.agentType, tools, c.solver), rules.some((r) => r.type !== 'requires_approval'));
  return callModel(c.model.provider, { ...chat, signal: c.req.signal }, Boolean(c.req.stream), stepId, messageId, c.sink);
}

export async function runStep(c: StepCtx, stepId: string, isLast: boolean): Promise<StepResult> {
  const start = Date.now();
  const messageId = newId('message');
  let res: ChatResponse;
  try {
    res = await request(c, stepId, messageId);
  } catch (e) {
    const reason: StopReason = isLlmError(e) ? stopReasonFor(e) : 'llm_api_error';
    const msg = e instanceof Error ? e.message : String(e);
    await insertStep(c.deps.db, stepRow(c, stepId, start, { status: reason === 'cancelled' ? 'cancelled' : 'failed', stopReason: reason, errorType: isLlmError(e) ? e.kind : 'error', errorData: { message: msg } }));
    return { decision: { continue: false, stopReason: reason }, stored: [], error: msg };
  }
  const llmMs = Date.now() - start;
  // Cancelled while the model was thinking: drop the reply so no tool call is stored without its return.
  if (c.sink.isCancelled && (await c.sink.isCancelled())) {
    await insertStep(c.deps.db, stepRow(c, stepId, start, { status: 'cancelled', stopReason: 'cancelled', llmDurationMs: llmMs, ...usageCols(res.usage) }));
    return { decision: { continue: false, stopReason: 'cancelled' }, stored: [], usage: res.usage, llmMs };
  }
  return handleResponse(c, stepId, start, res, llmMs, isLast, messageId);
}

async function handleResponse(c: StepCtx, stepId: string, start: number, res: ChatResponse, llmMs: number, isLast: boolean, messageId: string): Promise<StepResult> {
  const heartbeatLoop = HEARTBEAT_AGENT_TYPES.has(c.state.agent.agentType);
  const parallel = Boolean((c.state.agent.llmConfig as LlmCfg).parallel_tool_calls) && !heartbeatLoop;
  const calls = (parallel ? res.toolCalls : res.toolCalls.slice(0, 1)).map(toStoredCall);
  const base: RowBase = { organizationId: c.req.actor.orgId, agentId: c.state.agent.id, runId: c.req.runId, stepId, model: c.model.model };
  if (heartbeatLoop && calls.length === 0) {
    await insertStep(c.deps.db, stepRow(c, stepId, start, { status: 'failed', stopReason: 'no_tool_call', llmDurationMs: llmMs, ...usageCols(res.usage), errorType: 'no_tool_call', errorData: { message: 'model did not call a tool' } }));
    return { decision: { continue: false, stopReason: 'no_tool_call' }, stored: [], usage: res.usage, llmMs, error: 'No tool calls found in response, model must make a tool call' };
  }
  if (calls.some((call) => c.solver.requiresApproval(call.function.name))) {
    const rows = [assistantRow(base, res, calls, 'approval', messageId)];
    return commit(c, stepId, start, rows, { continue: false, stopReason: 'requires_approval' }, res, llmMs, undefined);
  }
  const t0 = Date.now();
  const exec = await executeToolCalls({ deps: c.deps, db: c.deps.db, actor: c.req.actor, state: c.state, runId: c.req.runId, stepId }, calls, c.solver, c.now);
  const toolMs = Date.now() - t0;
  let decision: Decision = exec.invalidPrefill
    ? { continue: false, stopReason: 'invalid_tool_call' }
    : heartbeatLoop ? decideHeartbeat(exec.executed, c.solver) : decideV1(res, exec.executed, c.solver);
  if (decision.continue && isLast) decision = { continue: false, stopReason: 'max_steps' };
  const rows = stepRows(c, base, res, exec, calls, decision, messageId);
  return commit(c, stepId, start, rows, decision, res, llmMs, exec, toolMs);
}

function stepRows(c: StepCtx, base: RowBase, res: ChatResponse, exec: ExecOutcome, calls: ReturnType<typeof toStoredCall>[], decision: Decision, messageId: string): MessageInsert[] {
  const done = new Map(exec.executed.map((e) => [e.call.id, e]));
  const finalCalls = calls.map((call) => done.get(call.id)?.call ?? call);
  const returns: StoredToolReturn[] = calls.map((call) => done.get(call.id)?.ret ?? {
    tool_call_id: call.id, name: call.function.name, status: 'error', stdout: null, stderr: null,
    func_response: JSON.stringify({ status: 'Failed', message: exec.invalidPrefill ?? 'not executed', time: c.now().toISOString() }),
  });
  const rows: MessageInsert[] = [];
  if (finalCalls.length || res.text || res.reasoning.length) rows.push(assistantRow(base, res, finalCalls, 'assistant', messageId));
  if (returns.length) rows.push(toolRow(base, returns));
  if (decision.continue && decision.heartbeatReason) rows.push(heartbeatRow(base, decision.heartbeatReason, c.now(), c.state.agent.timezone));
  return rows;
}

async function commit(c: StepCtx, stepId: string, start: number, rows: MessageInsert[], decision: Decision, res: ChatResponse, llmMs: number, exec?: ExecOutcome, toolMs?: number): Promise<StepResult> {
  const s = c.state;
  const changed = exec?.changedBlocks ?? [];
  if (changed.length) s.blocks = s.blocks.map((b) => changed.find((x) => x.id === b.id) ?? b);
  if (exec?.archivalInserted) s.archivalCount += 1;
  s.totalMessages += rows.length;
  const system = changed.length || exec?.archivalInserted ? recompileIfChanged(s, c.now(), Boolean(exec?.archivalInserted)) : null;
  const step = stepRow(c, stepId, start, { stopReason: decision.continue ? null : decision.stopReason, llmDurationMs: llmMs, toolDurationMs: toolMs ?? null, ...usageCols(res.usage) });
  const { stored, blocks } = await persistStep(c.deps.db, { agentId: s.agent.id, contextIds: s.context.map((m) => m.id), rows, step, changedBlocks: changed, system });
  if (blocks.length) s.blocks = s.blocks.map((b) => blocks.find((x) => x.id === b.id) ?? b);
  if (system) s.context[0] = system;
  s.context.push(...stored);
  return { decision, usage: res.usage, stored, llmMs };
}
