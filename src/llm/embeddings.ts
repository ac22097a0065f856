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

/** An embedding as sent: base64 of little-endian float32 values, or a plain array of numbers. */
export function decodeEmbedding(raw: unknown): number[] {
  if (Array.isArray(raw)) {
    if (!raw.every((x) => typeof x === 'number')) throw new LlmError('invalid_response', 'embedding array holds non-numbers');
    return raw as number[];
  }
  if (typeof raw !== 'string') throw new LlmError('invalid_response', `embedding is neither an array nor base64 (${typeof raw})`);
  const buf = Buffer.from(raw, 'base64');
  if (buf.length % 4 !== 0) throw new LlmError('invalid_response', `base64 embedding of ${buf.length} bytes is not float32 data`);
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Why a vector cannot be stored or searched with (null when it can): NaN/Infinity, all zeros, or a wrong size. */
export function vectorProblem(v: number[], dim?: number): string | null {
  if (v.length === 0) return 'it is empty';
  if (dim !== undefined && v.length !== dim) return `it has ${v.length} dimensions, expected ${dim}`;
  let zero = true;
  for (const x of v) {
    if (!Number.isFinite(x)) return 'it contains NaN or Infinity';
    if (x !== 0) zero = false;
  }
  return zero ? 'it is all zeros' : null;
}

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
      // base64 asked for explicitly: the SDK then hands the data over undecoded, and we decode whatever came back
      // (several compatible servers ignore encoding_format and send floats, which the SDK's own decoding would garble).
      const params = {
        model: opts.model,
        input,
        encoding_format: 'base64' as const,
        ...(opts.dimensions !== undefined && { dimensions: opts.dimensions }),
      };
      const res = await client.embeddings.create(params, { signal });
      if (res.data?.length !== input.length)
        throw new LlmError('invalid_response', `expected ${input.length} embeddings, got ${res.data?.length ?? 0}`);
      // Servers may answer out of order; `index` is authoritative.
      return [...res.data].sort((a, b) => a.index - b.index).map((d) => decodeEmbedding(d.embedding as unknown));
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
