// The context window as the model sees it (token counts per part) and forced compaction (/summarize).
import type { Actor } from '../../actor.js';
import { compact } from '../../agent/compaction/compactor.js';
import { renderToolSchemas } from '../../agent/compile-context.js';
import { loadTurnState, memoryCounts } from '../../agent/turn-store/load.js';
import { recompileIfChanged } from '../../agent/loop/recompile-system.js';
import { writeSystemMessage } from '../../agent/turn-store/turn-store.js';
import { withTurnLock } from '../../agent/turn-store/lease.js';
import type { LoopDeps } from '../../agent/loop/types.js';
import type { TurnState } from '../../agent/turn-types.js';
import { isSummaryRow } from '../../agent/summarize.js';
import { toolView } from '../../agent/system-message.js';
import { contextBreakdown } from '../../agent/token-budget.js';
import { BadRequestError, UpstreamError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isLlmError } from '../../llm/llm-error.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import { toLettaMessages } from '../../agent/letta-message.mapper.js';
import type { ContextWindowOverview, SummarizeBody } from './context-window.schemas.js';

export type ContextWindowDeps = { loop: LoopDeps };

function resolveModel(loop: LoopDeps, state: TurnState): ResolvedModel {
  const cfg = state.agent.llmConfig;
  try {
    return loop.registry.resolve(cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`);
  } catch (e) {
    throw new BadRequestError(`The agent's model is not available: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function overviewOf(state: TurnState, now: Date): ContextWindowOverview {
  const system = recompileIfChanged(state, now) ?? state.context[0]; // dry run: nothing is written
  const summaryRow = isSummaryRow(state.context[1]) ? state.context[1]! : null;
  const rest = state.context.slice(summaryRow ? 2 : 1);
  const fns = renderToolSchemas(state.tools.map(toolView), state.agent.agentType, state.agent.toolRules);
  const b = contextBreakdown({
    systemMessage: system?.text ?? '',
    tools: fns,
    messages: rest.map((m) => ({ role: m.role, content: m.text })),
    summary: summaryRow?.text,
  });
  const cfg = state.agent.llmConfig;
  const orNull = (s: string) => s || null;
  return {
    context_window_size_max: cfg.context_window ?? 0,
    context_window_size_current: b.total,
    num_messages: state.context.length,
    num_archival_memory: state.archivalCount,
    num_recall_memory: state.totalMessages,
    num_tokens_external_memory_summary: b.memoryMetadata.tokens,
    external_memory_summary: b.memoryMetadata.text,
    num_tokens_system: b.systemPrompt.tokens,
    system_prompt: b.systemPrompt.text,
    num_tokens_core_memory: b.coreMemory.tokens,
    core_memory: b.coreMemory.text,
    num_tokens_memory_filesystem: 0,
    memory_filesystem: null,
    num_tokens_tool_usage_rules: b.toolUsageRules.tokens,
    tool_usage_rules: orNull(b.toolUsageRules.text),
    num_tokens_directories: b.directories.tokens,
    directories: orNull(b.directories.text),
    num_tokens_summary_memory: b.summary.tokens,
    summary_memory: summaryRow?.text ?? null,
    num_tokens_functions_definitions: b.functionDefinitions.tokens,
    functions_definitions: fns.length ? fns : null,
    num_tokens_messages: b.messages.tokens,
    messages: toLettaMessages(rest),
  };
}

export function createContextWindowService(deps: ContextWindowDeps) {
  const { loop } = deps;
  const db = loop.db;
  const now = () => loop.now?.() ?? new Date();

  async function forceCompact(actor: Actor, agentId: string, settings: unknown) {
    const state = await loadTurnState(db, actor, agentId);
    const model = resolveModel(loop, state);
    try {
      const r = await compact({ db, state, model, registry: loop.registry, force: true, manual: true, settings, now });
      if (r.compacted) {
        const sys = recompileIfChanged(state, now(), true); // counts in the system prompt changed
        if (sys) await writeSystemMessage(db, sys);
      }
      return r;
    } catch (e) {
      if (isLlmError(e)) throw new UpstreamError(`Summarizer request failed: ${e.message}`, 502);
      throw e;
    }
  }

  return {
    async overview(actor: Actor, agentId: string, conversationId: string | null): Promise<ContextWindowOverview> {
      const state = await loadTurnState(db, actor, agentId, conversationId);
      return overviewOf({ ...state, ...(await memoryCounts(db, agentId)) }, now());
    },
    /** Compacts now, under the agent's turn lock so it never interleaves with a running turn. */
    async summarize(actor: Actor, agentId: string, body: NonNullable<SummarizeBody>) {
      await loadTurnState(db, actor, agentId); // 404 before waiting for the lock
      const done = await withTurnLock(db, { agentId }, newId('job'), () => forceCompact(actor, agentId, body.compaction_settings));
      const r = done!;
      if (!r.compacted || r.after >= r.before) {
        throw new BadRequestError('Summarization failed to reduce the number of messages: nothing in the context window can be compacted', {
          num_messages: r.before,
        });
      }
      return { summary: r.summary, num_messages_before: r.before, num_messages_after: r.after };
    },
  };
}

export type ContextWindowService = ReturnType<typeof createContextWindowService>;
