// Provider adapter for OpenAI and every OpenAI-compatible chat-completions server (Ollama, vLLM, LM Studio…).
import OpenAI from 'openai';
import { createAbortScope, timeoutError, touching, type AbortScope } from './abort-scope.js';
import { mapOpenAiError } from './openai-errors.js';
import { toOpenAiParams, type OpenAiDialect } from './openai-messages.js';
import { fromOpenAiCompletion } from './openai-response.js';
import { openAiStreamEvents } from './openai-stream.js';
import { defaultRetry, retryStream, withRetry, type RetryOptions } from './retry.js';
import type { ChatRequest, ModelInfo, Provider, StreamEvent } from './types.js';

export type OpenAiProviderOptions = {
  name?: string;
  apiKey?: string;
  baseUrl?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Backoff start; tests pass a few ms. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
};

const OFFICIAL_HOST = 'api.openai.com';

export function createOpenAiClient(opts: OpenAiProviderOptions): OpenAI {
  return new OpenAI({
    // Local servers ignore the key, but the SDK refuses to start without one.
    apiKey: opts.apiKey ?? 'not-needed',
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 120_000,
    maxRetries: 0,
  });
}

export function createOpenAiProvider(opts: OpenAiProviderOptions): Provider {
  const client = createOpenAiClient(opts);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const dialect: OpenAiDialect = { useMaxCompletionTokens: !opts.baseUrl || opts.baseUrl.includes(OFFICIAL_HOST) };
  const retryFor = (signal?: AbortSignal): RetryOptions => ({
    maxRetries: opts.maxRetries ?? defaultRetry.maxRetries,
    baseDelayMs: opts.retryBaseDelayMs ?? defaultRetry.baseDelayMs,
    maxDelayMs: opts.retryMaxDelayMs ?? defaultRetry.maxDelayMs,
    signal,
  });
  const fail = (err: unknown, scope: AbortScope, parent?: AbortSignal) =>
    scope.timedOut && !parent?.aborted ? timeoutError(timeoutMs) : mapOpenAiError(err, scope.signal);

  async function chatOnce(req: ChatRequest) {
    const scope = createAbortScope(req.signal, timeoutMs);
    scope.touch();
    try {
      const completion = await client.chat.completions.create(toOpenAiParams(req, dialect), { signal: scope.signal });
      return fromOpenAiCompletion(completion, req.model);
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
      const params = { ...toOpenAiParams(req, dialect), stream: true as const, stream_options: { include_usage: true } };
      const chunks = await client.chat.completions.create(params, { signal: scope.signal });
      yield* openAiStreamEvents(touching(chunks, scope), req.model);
    } catch (err) {
      throw fail(err, scope, req.signal);
    } finally {
      scope.dispose();
    }
  }

  return {
    name: opts.name ?? 'openai',
    kind: 'openai',
    chat: (req) => withRetry(() => chatOnce(req), retryFor(req.signal)),
    stream: (req) => retryStream(() => streamOnce(req), retryFor(req.signal)),
    listModels: () => listOpenAiModels(client),
  };
}

export async function listOpenAiModels(client: OpenAI): Promise<ModelInfo[]> {
  try {
    const out: ModelInfo[] = [];
    for await (const m of client.models.list()) out.push({ id: m.id });
    return out;
  } catch (err) {
    throw mapOpenAiError(err);
  }
}
