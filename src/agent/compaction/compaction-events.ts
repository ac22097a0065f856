// The stream/response items a compaction produces when a request asks for them (include_compaction_messages):
// an event_message before the summarizer runs and a summary_message after it.
import { newId } from '../../ids.js';
import type { LettaMessage } from '../loop/types.js';

export type CompactionTrigger = 'context_window_exceeded' | 'post_step_context_check' | 'manual';

export type CompactionStats = {
  trigger: CompactionTrigger;
  context_window: number;
  messages_count_before: number;
  messages_count_after: number;
  context_tokens_before: number;
  context_tokens_after: number;
};

const wireDate = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

function base(id: string, type: string, runId: string | null, now: Date): LettaMessage {
  return { id, date: wireDate(now), message_type: type, name: null, otid: null, sender_id: null, step_id: null, run_id: runId };
}

export function compactionEvent(a: {
  runId: string | null;
  trigger: CompactionTrigger;
  tokens: number;
  window: number;
  now: Date;
}): LettaMessage {
  return {
    ...base(newId('message'), 'event_message', a.runId, a.now),
    event_type: 'compaction',
    event_data: { trigger: a.trigger, context_token_estimate: a.tokens, context_window: a.window },
  };
}

export function summaryMessage(a: { id: string; runId: string | null; summary: string; stats: CompactionStats; now: Date }): LettaMessage {
  return { ...base(a.id, 'summary_message', a.runId, a.now), summary: a.summary, compaction_stats: a.stats };
}
