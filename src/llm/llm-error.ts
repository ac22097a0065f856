// The one error type adapters throw, so the agent loop never sees vendor SDK errors.

export type LlmErrorKind =
  | 'rate_limit'
  | 'auth'
  | 'bad_request'
  | 'context_overflow'
  | 'timeout'
  | 'connection'
  | 'server'
  | 'invalid_response'
  | 'cancelled'
  | 'insufficient_credits';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(['rate_limit', 'timeout', 'connection', 'server']);

export class LlmError extends Error {
  readonly retryable: boolean;
  /** Server-suggested wait before retrying (from retry-after headers), if any. */
  readonly retryAfterMs?: number;
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.retryable = RETRYABLE.has(kind);
    this.retryAfterMs = options?.retryAfterMs;
  }

  get isContextOverflow(): boolean {
    return this.kind === 'context_overflow';
  }
}

export const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

/** Letta stop reason for a failed step. Context overflow is the loop's call (summarise or stop), not ours. */
export function stopReasonFor(err: LlmError): 'llm_api_error' | 'invalid_llm_response' | 'cancelled' | 'insufficient_credits' {
  if (err.kind === 'cancelled') return 'cancelled';
  if (err.kind === 'invalid_response') return 'invalid_llm_response';
  if (err.kind === 'insufficient_credits') return 'insufficient_credits';
  return 'llm_api_error';
}

const OVERFLOW_PATTERNS = [
  /context_length_exceeded/i,
  /maximum context length/i,
  /context window/i,
  /prompt is too long/i,
  /too many tokens/i,
  /exceeds the (model'?s )?(context|max)/i,
  /input (is )?too long/i,
];

const looksLikeContextOverflow = (text: string): boolean => OVERFLOW_PATTERNS.some((p) => p.test(text));

/** Classifies an HTTP failure from any provider. */
export function llmErrorFromStatus(status: number, message: string, code?: string, cause?: unknown): LlmError {
  const haystack = `${code ?? ''} ${message}`;
  const opts = { cause };
  // Checked before 429: OpenAI reports an exhausted quota as a 429 that no retry will fix.
  if (status === 402 || /insufficient_quota|credit balance/i.test(haystack))
    return new LlmError('insufficient_credits', message, status, opts);
  if (status === 429) return new LlmError('rate_limit', message, status, opts);
  if (status === 401 || status === 403) return new LlmError('auth', message, status, opts);
  if ((status === 400 || status === 413 || status === 422) && looksLikeContextOverflow(haystack))
    return new LlmError('context_overflow', message, status, opts);
  if (status === 408) return new LlmError('timeout', message, status, opts);
  if (status >= 500) return new LlmError('server', message, status, opts);
  return new LlmError('bad_request', message, status, opts);
}

/** Reads `retry-after-ms` / `retry-after` (seconds) response headers. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const s = Number(headers?.get('retry-after'));
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}
