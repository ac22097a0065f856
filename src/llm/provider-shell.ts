// What every adapter shares: one abort scope per attempt (caller cancel + idle timeout), error mapping, retries.
import { createAbortScope, timeoutError, type AbortScope } from './abort-scope.js';
import { defaultRetry, retryStream, withRetry, type RetryOptions } from './retry.js';
import type { ChatRequest, ChatResponse, Provider, StreamEvent } from './types.js';

export type ShellOptions = {
  timeoutMs: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Vendor error → LlmError. */
  mapError(err: unknown, signal: AbortSignal): Error;
};

export type AdapterParts = {
  name: string;
  kind: Provider['kind'];
  chatOnce(req: ChatRequest, signal: AbortSignal): Promise<ChatResponse>;
  streamOnce(req: ChatRequest, scope: AbortScope): AsyncGenerator<StreamEvent>;
  listModels: Provider['listModels'];
};

export function buildProvider(o: ShellOptions, parts: AdapterParts): Provider {
  const retryFor = (signal?: AbortSignal): RetryOptions => ({
    maxRetries: o.maxRetries ?? defaultRetry.maxRetries,
    baseDelayMs: o.retryBaseDelayMs ?? defaultRetry.baseDelayMs,
    maxDelayMs: o.retryMaxDelayMs ?? defaultRetry.maxDelayMs,
    signal,
  });
  const fail = (err: unknown, scope: AbortScope, parent?: AbortSignal) =>
    scope.timedOut && !parent?.aborted ? timeoutError(o.timeoutMs) : o.mapError(err, scope.signal);

  async function chatOnce(req: ChatRequest): Promise<ChatResponse> {
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

  return {
    name: parts.name,
    kind: parts.kind,
    chat: (req) => withRetry(() => chatOnce(req), retryFor(req.signal)),
    stream: (req) => retryStream(() => streamOnce(req), retryFor(req.signal)),
    listModels: parts.listModels,
  };
}
