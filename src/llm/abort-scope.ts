// One AbortController per attempt, linked to the caller's signal, with an idle timer for streams whose
// body stalls after the headers arrived (the SDK timeout only covers the wait for headers).
import { LlmError } from './llm-error.js';

export type AbortScope = {
  signal: AbortSignal;
  /** Restarts the idle timer; call on every received chunk. */
  touch(): void;
  /** True when this scope aborted because the idle timer fired (not because the caller cancelled). */
  readonly timedOut: boolean;
  dispose(): void;
};

/** A controller that aborts when `parent` does; `unlink` drops the listener once the call is over. */
function linkedController(parent: AbortSignal | undefined): { controller: AbortController; unlink(): void } {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return { controller, unlink: () => parent?.removeEventListener('abort', onParentAbort) };
}

export function createAbortScope(parent: AbortSignal | undefined, idleTimeoutMs: number): AbortScope {
  const { controller, unlink } = linkedController(parent);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('idle timeout'));
    }, idleTimeoutMs);
  };
  return {
    signal: controller.signal,
    touch,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      unlink();
    },
  };
}

export function timeoutError(ms: number): LlmError {
  return new LlmError('timeout', `LLM request timed out after ${ms} ms`);
}

/** Restarts the idle timer per chunk. */
export async function* touching<T>(items: AsyncIterable<T>, scope: AbortScope): AsyncGenerator<T> {
  for await (const item of items) {
    scope.touch();
    yield item;
  }
  // The SDKs end an aborted stream quietly; a cut-short stream must not look like a complete answer.
  if (scope.signal.aborted) throw new Error('stream aborted');
}

/** One model call's overall deadline: every attempt and backoff wait runs under its signal. */
export type Deadline = {
  signal: AbortSignal;
  /** True when the deadline fired (not the caller's cancel). */
  readonly expired: boolean;
  dispose(): void;
};

export const DEFAULT_DEADLINE_MS = 120_000;

export function createDeadline(parent: AbortSignal | undefined, ms: number): Deadline {
  const { controller, unlink } = linkedController(parent);
  let expired = false;
  const timer = setTimeout(() => {
    expired = !parent?.aborted;
    controller.abort(new Error('model call deadline'));
  }, ms);
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      unlink();
    },
  };
}

/** What the caller sees when the deadline fires; whole seconds unless the deadline is shorter than one. */
export function deadlineError(ms: number): LlmError {
  const s = ms >= 1000 ? String(Math.round(ms / 1000)) : String(ms / 1000);
  return new LlmError('timeout', `The model did not answer within ${s} s`);
}
