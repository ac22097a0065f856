// Retry with exponential backoff for retryable LlmErrors; the SDKs' own retries are switched off so that
// both providers behave the same and tests can shrink the delays.
import { LlmError } from './llm-error.js';

export type RetryOptions = {
  maxRetries: number;
  /** First backoff delay; doubles each attempt (with jitter), capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  signal?: AbortSignal;
  /** Told before each backoff wait (the failed attempt, counted from 0, and the wait). */
  onRetry?: (err: LlmError, attempt: number, delayMs: number) => void;
};

export const defaultRetry = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000 } as const;

function backoffDelay(attempt: number, opts: RetryOptions, hintMs?: number): number {
  if (hintMs !== undefined && hintMs >= 0) return Math.min(hintMs, opts.maxDelayMs);
  const exp = opts.baseDelayMs * 2 ** attempt;
  const jitter = 1 - Math.random() * 0.25;
  return Math.min(exp * jitter, opts.maxDelayMs);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const cancelledError = (cause?: unknown) => new LlmError('cancelled', 'LLM request was cancelled', undefined, { cause });

/** Runs `fn`, retrying while it throws a retryable LlmError and attempts remain. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof LlmError) || !err.retryable || attempt >= opts.maxRetries) throw err;
      await backoff(err, attempt, opts);
    }
  }
}

function backoff(err: LlmError, attempt: number, opts: RetryOptions): Promise<void> {
  const delay = backoffDelay(attempt, opts, err.retryAfterMs);
  opts.onRetry?.(err, attempt, delay);
  return sleep(delay, opts.signal);
}

/** Like withRetry for streams: retries only while nothing has been yielded yet. */
export async function* retryStream<T>(open: (attempt: number) => AsyncIterable<T>, opts: RetryOptions): AsyncGenerator<T> {
  for (let attempt = 0; ; attempt++) {
    let yielded = false;
    try {
      for await (const item of open(attempt)) {
        yielded = true;
        yield item;
      }
      return;
    } catch (err) {
      if (yielded || !(err instanceof LlmError) || !err.retryable || attempt >= opts.maxRetries) throw err;
      await backoff(err, attempt, opts);
    }
  }
}
