// A turn's result as Letta's wire chunks: usage_statistics, error_message, and the HTTP error of a failed JSON turn.
import type { TurnResult } from '../agent/loop/types.js';
import { UpstreamError } from '../errors.js';

export function usageChunk(r: TurnResult) {
  const u = r.usage;
  return {
    message_type: 'usage_statistics' as const,
    completion_tokens: u.completionTokens,
    prompt_tokens: u.promptTokens,
    total_tokens: u.totalTokens,
    step_count: u.stepCount,
    run_ids: [r.runId],
    cached_input_tokens: u.cachedInputTokens ?? null,
    cache_write_tokens: u.cacheWriteTokens ?? null,
    reasoning_tokens: u.reasoningTokens ?? null,
    context_tokens: u.contextTokens ?? null,
  };
}

export function errorChunk(runId: string, reason: string, detail?: string, kind?: string) {
  const type =
    reason === 'context_window_overflow_in_system_prompt'
      ? reason
      : reason === 'error'
        ? 'internal_error'
        : kind === 'timeout'
          ? 'llm_timeout'
          : 'llm_error';
  const message = type === 'internal_error' ? 'An error occurred during agent execution.' : 'An error occurred with the LLM request.';
  return { message_type: 'error_message', run_id: runId, error_type: type, message, detail: detail ?? null };
}

const FAILED_UPSTREAM = new Set(['llm_api_error', 'invalid_llm_response', 'insufficient_credits']);

/**
 * A JSON turn the model failed: 502, or 504 when the model did not answer in time (Letta's llm_timeout). Never
 * retried by the SDK: the input is already stored, so a retry would deliver it twice and wait the deadline again.
 */
export function turnFailure(result: TurnResult): UpstreamError | null {
  if (!FAILED_UPSTREAM.has(result.stopReason)) return null;
  const message = result.error ?? result.stopReason;
  const timeout = result.errorKind === 'timeout';
  const detail = { message, stop_reason: result.stopReason, run_id: result.runId, ...(timeout && { error_type: 'llm_timeout' }) };
  return new UpstreamError(`LLM request failed: ${message}`, timeout ? 504 : 502, detail, { 'x-should-retry': 'false' });
}
