// POST /v1/conversations/{id}/compact: summarize the oldest part of one conversation's window, under its turn lock.
import type { Actor } from '../../actor.js';
import { compact } from '../../agent/compaction/compactor.js';
import { loadTurnState } from '../../agent/loop/load-state.js';
import { recompileIfChanged, writeSystemMessage } from '../../agent/loop/recompile-system.js';
import { withTurnLock } from '../../agent/loop/turn-lock.js';
import type { LoopDeps } from '../../agent/loop/types.js';
import { BadRequestError, UpstreamError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isLlmError } from '../../llm/llm-error.js';
import { clampWindow } from './conversation-window.js';
import type { ConversationRow } from '../../db/rows.js';

export type CompactionResponse = { summary: string; num_messages_before: number; num_messages_after: number };

export async function compactConversation(loop: LoopDeps, actor: Actor, conv: ConversationRow, settings: unknown): Promise<CompactionResponse> {
  const db = loop.db;
  const now = () => loop.now?.() ?? new Date();
  const r = await withTurnLock(db, { agentId: conv.agentId, conversationId: conv.id }, newId('job'), async () => {
    const state = await loadTurnState(db, actor, conv.agentId, conv.id);
    clampWindow(state, conv.contextWindowLimit);
    const cfg = state.agent.llmConfig;
    const model = loop.registry.resolve(conv.model ?? cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`);
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
  }, { pollMs: loop.lockPollMs, leaseMs: loop.leaseMs });
  if (!r?.compacted || r.after >= r.before) {
    throw new BadRequestError('Compaction did not reduce the number of messages: nothing in the conversation window can be compacted', { num_messages: r?.before ?? 0 });
  }
  return { summary: r.summary, num_messages_before: r.before, num_messages_after: r.after };
}
