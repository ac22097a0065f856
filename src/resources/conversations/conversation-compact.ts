// POST /v1/conversations/{id}/compact: summarize the oldest part of a thread's window (one conversation's, or the
// agent's own for `default`), under the thread's turn lock.
import type { Actor } from '../../actor.js';
import { compact } from '../../agent/compaction/compactor.js';
import { loadTurnState } from '../../agent/turn-store/load.js';
import { recompileIfChanged } from '../../agent/loop/recompile-system.js';
import { writeSystemMessage } from '../../agent/turn-store/turn-store.js';
import { withTurnLock } from '../../agent/turn-store/lease.js';
import type { LoopDeps } from '../../agent/loop/types.js';
import { BadRequestError, UpstreamError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isLlmError } from '../../llm/llm-error.js';
import { clampWindow } from './conversation-window.js';

/** The thread to compact: `conversationId` null for the agent's own; `model` overrides the agent's when set. */
export type CompactTarget = { agentId: string; conversationId: string | null; model: string | null; contextWindowLimit: number | null };
export type CompactionResponse = { summary: string; num_messages_before: number; num_messages_after: number };

export async function compactConversation(loop: LoopDeps, actor: Actor, t: CompactTarget, settings: unknown): Promise<CompactionResponse> {
  const db = loop.db;
  const now = () => loop.now?.() ?? new Date();
  const r = await withTurnLock(
    db,
    { agentId: t.agentId, conversationId: t.conversationId },
    newId('job'),
    async () => {
      const state = await loadTurnState(db, actor, t.agentId, t.conversationId);
      clampWindow(state, t.contextWindowLimit);
      const cfg = state.agent.llmConfig;
      const model = loop.registry.resolve(t.model ?? cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`);
      try {
        const out = await compact({ db, state, model, registry: loop.registry, force: true, manual: true, settings, now });
        if (out.compacted) {
          const sys = recompileIfChanged(state, now(), true);
          if (sys) await writeSystemMessage(db, sys);
        }
        return out;
      } catch (e) {
        if (isLlmError(e)) throw new UpstreamError(`Summarizer request failed: ${e.message}`, 502);
        throw e;
      }
    },
    { pollMs: loop.lockPollMs, leaseMs: loop.leaseMs },
  );
  if (!r?.compacted || r.after >= r.before) {
    throw new BadRequestError('Compaction did not reduce the number of messages: nothing in the conversation window can be compacted', {
      num_messages: r?.before ?? 0,
    });
  }
  return { summary: r.summary, num_messages_before: r.before, num_messages_after: r.after };
}
