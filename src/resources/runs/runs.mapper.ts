import type { RunRow } from '../../db/rows.js';
// Run row → Letta Run wire shape.

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A failed run's error lives in its own column; clients read it from metadata.error, as on Letta. */
function metadataOf(r: RunRow): RunRow['metadata'] {
  if (!r.error) return r.metadata;
  const m = (r.metadata ?? {}) as Record<string, unknown>;
  return m.error ? r.metadata : { ...m, error: r.error };
}

export function toRun(r: RunRow) {
  return {
    id: r.id,
    agent_id: r.agentId,
    conversation_id: r.conversationId,
    base_template_id: null,
    status: r.status,
    stop_reason: r.stopReason,
    background: r.background,
    metadata: metadataOf(r),
    request_config: r.requestConfig,
    callback_url: r.callbackUrl,
    callback_sent_at: iso(r.callbackSentAt),
    callback_status_code: r.callbackStatusCode,
    callback_error: r.callbackError,
    ttft_ns: r.ttftNs,
    total_duration_ns: r.totalDurationNs,
    created_at: r.createdAt.toISOString(),
    completed_at: iso(r.completedAt),
  };
}

/** `contextTokens`: the total tokens of the run's last step, the size of the context it left (Letta's context_tokens). */
export function toRunUsage(r: RunRow, contextTokens: number | null) {
  return {
    completion_tokens: r.completionTokens,
    prompt_tokens: r.promptTokens,
    total_tokens: r.totalTokens,
    prompt_tokens_details: r.cachedInputTokens == null ? null : { cached_tokens: r.cachedInputTokens },
    completion_tokens_details: r.reasoningTokens == null ? null : { reasoning_tokens: r.reasoningTokens },
    context_tokens: contextTokens,
  };
}
