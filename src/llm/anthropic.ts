// Provider adapter for Anthropic's messages API.
import Anthropic from '@anthropic-ai/sdk';
import { createAbortScope, timeoutError, touching, type AbortScope } from './abort-scope.js';
import { mapAnthropicError } from './anthropic-errors.js';
import { toAnthropicParams } from './anthropic-messages.js';
import { fromAnthropicMessage } from './anthropic-response.js';
import { anthropicStreamEvents } from './anthropic-stream.js';
import { defaultRetry, retryStream, withRetry, type RetryOptions } from './retry.js';
import type { ChatRequest, ModelInfo, Provider, StreamEvent } from './types.js';

export type AnthropicProviderOptions = {
  name?: string;
  apiKey?: string;
  baseUrl?: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
};

export function createAnthropicClient(opts: AnthropicProviderOptions): Anthropic {
  return new Anthropic({
    apiKey: opts.apiKey ?? 'not-set',
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 120_000,
    maxRetries: 0,
  });
}

export function createAnthropicProvider(opts: AnthropicProviderOptions): Provider {
  const client = createAnthropicClient(opts);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const retryFor = (signal?: AbortSignal): RetryOptions => ({
    maxRetries: opts.maxRetries ?? defaultRetry.maxRetries,
    baseDelayMs: opts.retryBaseDelayMs ?? defaultRetry.baseDelayMs,
    maxDelayMs: opts.retryMaxDelayMs ?? defaultRetry.maxDelayMs,
    signal,
  });
  const fail = (err: unknown, scope: AbortScope, parent?: AbortSignal) =>
    scope.timedOut && !parent?.aborted ? timeoutError(timeoutMs) : mapAnthropicError(err, scope.signal);

  async function chatOnce(req: ChatRequest) {
    const scope = createAbortScope(req.signal, timeoutMs);
    scope.touch();
    try {
      const msg = await client.messages.create(toAnthropicParams(req), { signal: scope.signal });
      return fromAnthropicMessage(msg, req.model);
    } catch (err) {
      throw fail(err, scope, req.signal);
    } finally {
      scope.dispose();
    }
  }

  async function* streamOnce(req: ChatRequest): AsyncGenerator<StreamEvent> {
    const scope = createAbortScope(req.signal, timeoutMs);
    scope.touch();
    try {
      const events = await client.messages.create({ ...toAnthropicParams(req), stream: true }, { signal: scope.signal });
      yield* anthropicStreamEvents(touching(events, scope), req.model);
    } catch (err) {
      throw fail(err, scope, req.signal);
    } finally {
      scope.dispose();
    }
  }

  return {
    name: opts.name ?? 'anthropic',
    kind: 'anthropic',
    chat: (req) => withRetry(() => chatOnce(req), retryFor(req.signal)),
    stream: (req) => retryStream(() => streamOnce(req), retryFor(req.signal)),
    listModels: () => listAnthropicModels(client),
  };
}

async function listAnthropicModels(client: Anthropic): Promise<ModelInfo[]> {
  try {
    const out: ModelInfo[] = [];
    for await (const m of client.models.list()) out.push({ id: m.id, displayName: m.display_name });
    return out;
  } catch (err) {
    throw mapAnthropicError(err);
  }
}
