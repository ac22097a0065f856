// Keeps a turn inside its context window: before a model call (at 90% of the window) or after a provider's
// context-overflow error, the oldest messages are summarized into one message right after the system message.
// Evicted messages stay stored (recall search still finds them); only the thread's in-context id list shrinks.
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import type { LlmRegistry } from '../../llm/registry.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import { insertMessages } from '../../memory/message-rows.js';
import { renderToolSchemas } from '../compile-context.js';
import { saveContextIds } from '../turn-store/turn-store.js';
import { replaceContext } from '../loop/turn-state.js';
import type { LettaMessage } from '../loop/types.js';
import type { TurnState } from '../turn-types.js';
import { toolView } from '../system-message.js';
import { isSummaryRow, packSummary, summarizeMessages, unpackSummary } from '../summarize.js';
import { countMessageTokens, countToolTokens } from '../token-budget.js';
import { compactionEvent, summaryMessage, type CompactionStats, type CompactionTrigger } from './compaction-events.js';
import { pickCut, protectedFrom } from './compaction-cut.js';
import { resolveCompactionSettings } from './compaction-settings.js';
import type { MessageRow } from '../../db/rows.js';

const TRIGGER_FRACTION = 0.9;

export type CompactInput = {
  db: Db;
  state: TurnState;
  model: ResolvedModel;
  registry?: Pick<LlmRegistry, 'resolve'>;
  runId?: string | null;
  /** Compact even below the trigger (provider overflow error, /summarize). */
  force?: boolean;
  /** /summarize: no turn is running, so only a pending approval is protected; no system-prompt check. */
  manual?: boolean;
  /** Request-level compaction_settings (override the agent's). */
  settings?: unknown;
  /** Receives the event_message and summary_message (include_compaction_messages). */
  emit?: (m: LettaMessage) => void | Promise<void>;
  now?: () => Date;
  signal?: AbortSignal;
};
export type CompactResult = { compacted: boolean; summary: string; before: number; after: number; messages: LettaMessage[] };

/** Thrown when the system prompt and tool schemas alone do not fit; carries the Letta stop reason. */
class SystemPromptOverflowError extends Error {
  readonly stopReason = 'context_window_overflow_in_system_prompt' as const;
}

const contextTokens = (context: MessageRow[]) => countMessageTokens(context.map((m) => ({ role: m.role, content: m.text })));

function toolTokens(state: TurnState): number {
  return countToolTokens(renderToolSchemas(state.tools.map(toolView), state.agent.agentType, state.agent.toolRules));
}

const windowOf = (s: TurnState, m: ResolvedModel) => s.agent.llmConfig.context_window ?? m.contextWindow;

function summarizerModel(c: CompactInput, handle: string | null): ResolvedModel {
  if (!handle || !c.registry) return c.model;
  try {
    return c.registry.resolve(handle);
  } catch {
    return c.model;
  }
}

function assertSystemFits(c: CompactInput, window: number, tools: number): void {
  if (c.manual) return;
  const fixed = contextTokens(c.state.context.slice(0, 1)) + tools;
  if (fixed >= window)
    throw new SystemPromptOverflowError(`system prompt and tool schemas (${fixed} tokens) exceed the context window (${window})`);
}

export async function compact(c: CompactInput): Promise<CompactResult> {
  const ctx = c.state.context;
  const before = ctx.length;
  const window = windowOf(c.state, c.model);
  const tools = toolTokens(c.state);
  const tokensBefore = contextTokens(ctx) + tools;
  const noop: CompactResult = { compacted: false, summary: unpackSummary(ctx[1]), before, after: before, messages: [] };
  if (!c.force && tokensBefore < window * TRIGGER_FRACTION) return noop;
  assertSystemFits(c, window, tools);
  const settings = resolveCompactionSettings(c.state.agent.compactionSettings, c.settings);
  const cut = pickCut(ctx, settings, window, protectedFrom(ctx, !c.manual));
  if (cut <= 1) return noop;
  const now = c.now?.() ?? new Date();
  const trigger: CompactionTrigger = c.manual ? 'manual' : c.force ? 'context_window_exceeded' : 'post_step_context_check';
  const out: LettaMessage[] = [];
  const emit = async (m: LettaMessage) => {
    out.push(m);
    await c.emit?.(m);
  };
  await emit(compactionEvent({ runId: c.runId ?? null, trigger, tokens: tokensBefore, window, now }));
  const evicted = ctx.slice(1, cut);
  const model = summarizerModel(c, settings.model);
  const summary = await summarizeMessages(model.provider, model.model, evicted, {
    prompt: settings.prompt,
    clipChars: settings.clipChars,
    signal: c.signal,
  });
  const hidden = evicted.filter((m) => !isSummaryRow(m)).length;
  const kept = ctx.slice(cut);
  const draft = packSummary(summary, hidden, now);
  const stats: CompactionStats = {
    trigger,
    context_window: window,
    messages_count_before: before,
    messages_count_after: kept.length + 2,
    context_tokens_before: tokensBefore,
    context_tokens_after: contextTokens([ctx[0]!, { ...ctx[0]!, role: 'user', text: draft }, ...kept]) + tools,
  };
  const text = packSummary(summary, hidden, now, stats);
  const [row] = await insertMessages(c.db, [
    {
      id: newId('message'),
      organizationId: c.state.agent.organizationId,
      agentId: c.state.agent.id,
      conversationId: c.state.conversationId,
      runId: c.runId ?? null,
      role: 'user',
      content: [{ type: 'text', text }],
      text,
    },
  ]);
  const next = [ctx[0]!, row!, ...kept];
  await saveContextIds(
    c.db,
    { agentId: c.state.agent.id, conversationId: c.state.conversationId },
    next.map((m) => m.id),
  );
  replaceContext(c.state, next);
  await emit(summaryMessage({ id: row!.id, runId: c.runId ?? null, summary, stats, now }));
  return { compacted: true, summary, before, after: next.length, messages: out };
}
