// Embedding glue: an agent's or archive's embedding_config → an EmbeddingClient (or null: full-text only).
import { LRUCache } from 'lru-cache';
import type { EmbeddingClient } from '../llm/embeddings.js';
import { createEmbeddingClient, vectorProblem } from '../llm/embeddings.js';
import { UpstreamError, ValidationError } from '../errors.js';
import type { EmbeddingConfig } from '../llm/model.schemas.js';

export type EmbedderFor = ((cfg: EmbeddingConfig | Record<string, unknown> | null | undefined) => EmbeddingClient | null) & {
  cacheSize?: () => number;
};

/** Clients kept, by embedding config (callers choose endpoints and dimensions, so the key space is theirs). */
export const EMBEDDER_CACHE_MAX = 64;

type RegistryLike = { embeddingClient(handle: string, o?: { dimensions?: number; batchSize?: number }): EmbeddingClient };

/** Only OpenAI's v3 models accept `dimensions`; sending it elsewhere is often an error. */
const acceptsDimensions = (model: string) => /text-embedding-3/.test(model);

export function createEmbedderResolver(registry: RegistryLike): EmbedderFor {
  const cache = new LRUCache<string, EmbeddingClient>({ max: EMBEDDER_CACHE_MAX });
  const resolve: EmbedderFor = (raw) => {
    if (!raw) return null;
    const cfg = raw as EmbeddingConfig;
    const model = String(cfg.embedding_model ?? '');
    if (!model) return null;
    const key = JSON.stringify([cfg.handle, cfg.embedding_endpoint, model, cfg.embedding_dim, cfg.batch_size]);
    const hit = cache.get(key);
    if (hit) return hit;
    const dimensions = acceptsDimensions(model) ? cfg.embedding_dim : undefined;
    const batchSize = cfg.batch_size ?? 32;
    let client: EmbeddingClient;
    try {
      if (!cfg.handle) throw new Error('no handle');
      client = registry.embeddingClient(cfg.handle, { dimensions, batchSize });
    } catch {
      // A config without a known provider: talk to its endpoint directly (OpenAI-compatible servers).
      if (!cfg.embedding_endpoint) return null;
      client = createEmbeddingClient({ baseUrl: cfg.embedding_endpoint, model, dimensions, batchSize });
    }
    cache.set(key, client);
    return client;
  };
  resolve.cacheSize = () => cache.size;
  return resolve;
}

/** Passage size limit in characters, from the config's chunk size in tokens (≈ 4 characters a token). */
export function chunkCharLimit(cfg: Record<string, unknown> | null | undefined): number {
  const tokens = Number((cfg as EmbeddingConfig | null)?.embedding_chunk_size ?? 0) || 300;
  return Math.max(400, tokens * 4);
}

export type MemoryDeps = { db: import('../db/client.js').Db; embedderFor: EmbedderFor };

/** The embedding model answered with a vector that would poison search (zeros, NaN/Infinity, a wrong size). */
class InvalidEmbeddingError extends ValidationError {}

/** The size the config promises, when it states one. */
const configuredDim = (cfg: Record<string, unknown> | null | undefined): number | undefined => {
  const d = Number((cfg as EmbeddingConfig | null | undefined)?.embedding_dim);
  return Number.isInteger(d) && d > 0 ? d : undefined;
};

/** Every vector usable, all of one size (the configured one when stated); otherwise an error naming the problem. */
function checkVectors(vectors: number[][], cfg: Record<string, unknown> | null | undefined): number[][] {
  const dim = configuredDim(cfg) ?? vectors[0]?.length;
  vectors.forEach((v, i) => {
    const problem = vectorProblem(v, dim);
    if (!problem) return;
    const model = String((cfg as EmbeddingConfig | null | undefined)?.embedding_model ?? 'the embedding model');
    const which = vectors.length > 1 ? ` for text ${i + 1} of ${vectors.length}` : '';
    throw new InvalidEmbeddingError(`Embedding model ${model} returned an unusable vector${which}: ${problem}. Nothing was stored.`);
  });
  return vectors;
}

/** Embeds texts with the config's model; null when there is no model (full-text search only). */
export async function embedTexts(
  embedderFor: EmbedderFor,
  cfg: Record<string, unknown> | null | undefined,
  texts: string[],
): Promise<number[][] | null> {
  const client = embedderFor(cfg);
  if (!client || texts.length === 0) return null;
  let vectors: number[][];
  try {
    vectors = await client.embed(texts);
  } catch (err) {
    throw new UpstreamError(`Embedding request failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return checkVectors(vectors, cfg);
}

/** A search's query vector, or null (full text only) when the model answered with an unusable one. */
export async function embedQuery(
  embedderFor: EmbedderFor,
  cfg: Record<string, unknown> | null | undefined,
  text: string,
): Promise<number[] | null> {
  try {
    return (await embedTexts(embedderFor, cfg, [text]))?.[0] ?? null;
  } catch (err) {
    if (err instanceof InvalidEmbeddingError) return null;
    throw err;
  }
}
