// Maps errors thrown by the `openai` SDK (or its streams) to LlmError.
import OpenAI from 'openai';
import { LlmError, llmErrorFromStatus, retryAfterMs } from './llm-error.js';
import { cancelledError } from './retry.js';

export function mapOpenAiError(err: unknown, signal?: AbortSignal): LlmError {
  if (err instanceof LlmError) return err;
  if (signal?.aborted || err instanceof OpenAI.APIUserAbortError) return cancelledError(err);
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'LLM request timed out', undefined, { cause: err });
  if (err instanceof OpenAI.APIConnectionError)
    return new LlmError('connection', `Could not reach the LLM server: ${err.message}`, undefined, { cause: err });
  if (err instanceof OpenAI.APIError) {
    const body = err.error as { message?: string; code?: string } | undefined;
    const message = body?.message ?? err.message;
    if (err.status === undefined) return new LlmError('server', message, undefined, { cause: err });
    const mapped = llmErrorFromStatus(err.status, message, err.code ?? body?.code ?? err.type, err);
    const hint = retryAfterMs(err.headers);
    return hint === undefined ? mapped : new LlmError(mapped.kind, message, err.status, { cause: err, retryAfterMs: hint });
  }
  if (err instanceof SyntaxError) return new LlmError('invalid_response', `Malformed LLM response: ${err.message}`);
  return new LlmError('invalid_response', err instanceof Error ? err.message : String(err), undefined, { cause: err });
}
