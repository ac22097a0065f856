// Maps errors thrown by `@anthropic-ai/sdk` to LlmError.
import { loadedAnthropicSdk } from './anthropic-sdk.js';
import { LlmError, llmErrorFromStatus, retryAfterMs } from './llm-error.js';
import { cancelledError } from './retry.js';

export function mapAnthropicError(err: unknown, signal?: AbortSignal): LlmError {
  if (err instanceof LlmError) return err;
  if (signal?.aborted) return cancelledError(err);
  const Anthropic = loadedAnthropicSdk();
  if (!Anthropic) return otherError(err); // the SDK's errors exist only once it is loaded
  if (err instanceof Anthropic.APIUserAbortError) return cancelledError(err);
  if (err instanceof Anthropic.APIConnectionTimeoutError)
    return new LlmError('timeout', 'LLM request timed out', undefined, { cause: err });
  if (err instanceof Anthropic.APIConnectionError)
    return new LlmError('connection', `Could not reach the LLM server: ${err.message}`, undefined, { cause: err });
  if (err instanceof Anthropic.APIError) {
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    const message = body?.error?.message ?? err.message;
    const code = body?.error?.type;
    // Errors sent inside an open stream carry no status; classify them by their type.
    const status = err.status ?? statusForType(code);
    const mapped = llmErrorFromStatus(status, message, code, err);
    const hint = retryAfterMs(err.headers ?? undefined);
    return new LlmError(mapped.kind, message, err.status, { cause: err, retryAfterMs: hint });
  }
  return otherError(err);
}

function otherError(err: unknown): LlmError {
  if (err instanceof SyntaxError) return new LlmError('invalid_response', `Malformed LLM response: ${err.message}`);
  return new LlmError('invalid_response', err instanceof Error ? err.message : String(err), undefined, { cause: err });
}

function statusForType(type: string | undefined): number {
  if (type === 'rate_limit_error') return 429;
  if (type === 'authentication_error') return 401;
  if (type === 'permission_error') return 403;
  if (type === 'invalid_request_error') return 400;
  return 500;
}
