// What every adapter shares: one overall deadline per call, one abort scope per attempt (caller cancel + idle
// timeout), error mapping, retries, and the cleaning of model output before anything stores it.
import { createAbortScope, createDeadline, deadlineError, DEFAULT_DEADLINE_MS, timeoutError, type AbortScope } from './abort-scope.js';
import { cleanChatResponse, cleanStreamEvent } from './clean-text.js';
import { defaultRetry, retryStream, withRetry, type RetryOptions } from './retry.js';
import type { ChatRequest, ChatResponse, Provider, StreamEvent } from './types.js';
import { logFailure, logRetry, type ProviderLog, type ProviderWho } from './provider-log.js';

export type ShellOptions = {
  /** Per attempt: wait for the reply headers, and the longest pause between stream chunks. */
  timeoutMs: number;
  /** Overall, all attempts and backoff waits included. */
  deadlineMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Vendor error → LlmError. */
  mapError(err: unknown, signal: AbortSignal): Error;
  /** Host of the base URL, named with the provider in log lines about failed calls and retries. */
  host?: string;
  log?: ProviderLog;
};

export type AdapterParts = {
  name: string;
  kind: Provider['kind'];
  chatOnce(req: ChatRequest, signal: AbortSignal): Promise<ChatResponse>;
  streamOnce(req: ChatRequest, scope: AbortScope): AsyncGenerator<StreamEvent>;
  listModels: Provider['listModels'];
  /** Loads what the adapter needs (its SDK) before an attempt, so the attempt's timeout does not count the loading. */
  ready?(): Promise<void>;
};

export function buildProvider(o: ShellOptions, parts: AdapterParts): Provider {
  const who: ProviderWho = { provider: parts.name, host: o.host ?? '', log: o.log };
  const retryFor = (signal: AbortSignal, tries: { n: number }): RetryOptions => ({
    maxRetries: o.maxRetries ?? defaultRetry.maxRetries,
    baseDelayMs: o.retryBaseDelayMs ?? defaultRetry.baseDelayMs,
    maxDelayMs: o.retryMaxDelayMs ?? defaultRetry.maxDelayMs,
    signal,
    onRetry: (err, attempt, delayMs) => {
      tries.n = attempt + 2;
      logRetry(who, err, attempt, delayMs);
    },
  });
  const fail = (err: unknown, scope: AbortScope, parent?: AbortSignal) =>
    scope.timedOut && !parent?.aborted ? timeoutError(o.timeoutMs) : o.mapError(err, scope.signal);

  async function chatOnce(req: ChatRequest): Promise<ChatResponse> {
    await parts.ready?.();
    const scope = createAbortScope(req.signal, o.timeoutMs);
    scope.touch();
    try {
      return await parts.chatOnce(req, scope.signal);
    } catch (err) {
      throw fail(err, scope, req.signal);
    } finally {
      scope.dispose();
    }
  }

  async function* streamOnce(req: ChatRequest): AsyncGenerator<StreamEvent> {
    await parts.ready?.();
    const scope = createAbortScope(req.signal, o.timeoutMs);
    scope.touch();
    try {
      yield* parts.streamOnce(req, scope);
    } catch (err) {
      throw fail(err, scope, req.signal);
    } finally {
      scope.dispose();
    }
  }

  const deadlineMs = o.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const failed = (err: unknown, attempts: number) => {
    logFailure(who, err, attempts);
    return err;
  };

  async function chat(req: ChatRequest): Promise<ChatResponse> {
    const d = createDeadline(req.signal, deadlineMs);
    const tries = { n: 1 };
    try {
      return cleanChatResponse(await withRetry(() => chatOnce({ ...req, signal: d.signal }), retryFor(d.signal, tries)));
    } catch (err) {
      throw failed(d.expired ? deadlineError(deadlineMs) : err, tries.n);
    } finally {
      d.dispose();
    }
  }

  async function* stream(req: ChatRequest): AsyncGenerator<StreamEvent> {
    const d = createDeadline(req.signal, deadlineMs);
    const tries = { n: 1 };
    try {
      for await (const event of retryStream(() => streamOnce({ ...req, signal: d.signal }), retryFor(d.signal, tries)))
        yield cleanStreamEvent(event);
    } catch (err) {
      throw failed(d.expired ? deadlineError(deadlineMs) : err, tries.n);
    } finally {
      d.dispose();
    }
  }

  return { name: parts.name, kind: parts.kind, chat, stream, listModels: parts.listModels };
}
