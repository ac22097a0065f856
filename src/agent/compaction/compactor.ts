// Keeps a turn inside its context window: before a model call (at 90% of the window) or after a provider's
// context-overflow error, the oldest messages are summarized into one message right after the system message.
// Evicted messages stay stored (recall search still finds them); only agents.message_ids shrinks.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents } from '../../db/schema/index.js';
import { newId } from '../../ids.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import { insertMessages, type MessageRow } from '../../resources/messages/messages.repo.js';
import type { TurnState } from '../loop/types.js';
import { chooseCut, isSummaryRow, packSummary, summarizeMessages } from '../summarize.js';
import { countMessageTokens } from '../token-budget.js';

export const TRIGGER_FRACTION = 0.9;

export type CompactInput = { db: Db; state: TurnState; model: ResolvedModel; runId?: string | null; force?: boolean; now?: () => Date; signal?: AbortSignal };
export type CompactResult = { compacted: boolean; summary: string; before: number; after: number };

export const contextTokens = (context: MessageRow[]) => countMessageTokens(context.map((m) => ({ role: m.role, content: m.text })));

const windowOf = (s: TurnState, m: ResolvedModel) => (s.agent.llmConfig as { context_window?: number }).context_window ?? m.contextWindow;

/** The current turn starts at the last user message that is not a summary; it is never evicted. */
function keepFrom(context: MessageRow[]): number {
  for (let i = context.length - 1; i > 0; i--) if (context[i]!.role === 'user' && !isSummaryRow(context[i])) return i;
  return context.length;
}

export async function compact(c: CompactInput): Promise<CompactResult> {
  const ctx = c.state.context;
  const before = ctx.length;
  const window = windowOf(c.state, c.model);
  const existing = isSummaryRow(ctx[1]) ? ctx[1]!.text : '';
  if (!c.force && contextTokens(ctx) < window * TRIGGER_FRACTION) return { compacted: false, summary: existing, before, after: before };
  const cut = chooseCut(ctx, Math.floor(window * 0.7), keepFrom(ctx));
  if (cut <= 1) return { compacted: false, summary: existing, before, after: before };
  const evicted = ctx.slice(1, cut);
  const summary = await summarizeMessages(c.model.provider, c.model.model, evicted, c.signal);
  const now = c.now?.() ?? new Date();
  const hidden = evicted.filter((m) => !isSummaryRow(m)).length;
  const text = packSummary(summary, hidden, now);
  const [row] = await insertMessages(c.db, [
    { id: newId('message'), organizationId: c.state.agent.organizationId, agentId: c.state.agent.id, runId: c.runId ?? null, role: 'user', content: [{ type: 'text', text }], text },
  ]);
  const next = [ctx[0]!, row!, ...ctx.slice(cut)];
  await c.db.update(agents).set({ messageIds: next.map((m) => m.id) }).where(eq(agents.id, c.state.agent.id));
  c.state.context = next;
  return { compacted: true, summary, before, after: next.length };
}
