// Embedding client for any OpenAI-compatible /embeddings endpoint (OpenAI, Ollama, vLLM, LM Studio…).
import OpenAI from 'openai';
import { mapOpenAiError } from './openai-errors.js';
import { defaultRetry, withRetry } from './retry.js';
import { LlmError } from './llm-error.js';
import { leanFetch } from './lean-fetch.js';

export type EmbeddingClientOptions = {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Sent only when set: many models and servers reject the parameter. */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
};

export type EmbeddingClient = { model: string; embed(texts: string[], signal?: AbortSignal): Promise<number[][]> };

export function createEmbeddingClient(opts: EmbeddingClientOptions): EmbeddingClient {
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'not-needed',
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 60_000,
    maxRetries: 0,
    fetch: leanFetch,
  });
  const batchSize = Math.max(1, opts.batchSize ?? 32);

  async function embedBatch(input: string[], signal?: AbortSignal): Promise<number[][]> {
    try {
      const res = await client.embeddings.create(
        { model: opts.model, input, ...(opts.dimensions !== undefined && { dimensions: opts.dimensions }) },
        { signal },
      );
      if (res.data?.length !== input.length)
        throw new LlmError('invalid_response', `expected ${input.length} embeddings, got ${res.data?.length ?? 0}`);
      // Servers may answer out of order; `index` is authoritative.
      return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (err) {
      throw mapOpenAiError(err, signal);
    }
  }

  return {
    model: opts.model,
    async embed(texts, signal) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize);
        const retry = {
          maxRetries: opts.maxRetries ?? defaultRetry.maxRetries,
          baseDelayMs: opts.retryBaseDelayMs ?? defaultRetry.baseDelayMs,
          maxDelayMs: defaultRetry.maxDelayMs,
          signal,
        };
        out.push(...(await withRetry(() => embedBatch(batch, signal), retry)));
      }
      return out;
    },
  };
}
