// Known context windows and output limits, matched by model-name prefix (longest prefix wins).

const CONTEXT_WINDOWS: [prefix: string, tokens: number][] = [
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4', 8_192],
  ['gpt-3.5-turbo', 16_385],
  ['gpt-5', 400_000],
  ['o1-mini', 128_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
  ['claude-3', 200_000],
  ['claude-sonnet-4', 200_000],
  ['claude-opus-4', 200_000],
  ['claude-haiku-4', 200_000],
  ['claude', 200_000],
  ['llama3.1', 128_000],
  ['llama3.2', 128_000],
  ['llama3.3', 128_000],
  ['llama3', 8_192],
  ['qwen2.5', 32_768],
  ['qwen3', 40_960],
  ['qwen', 32_768],
  ['mistral-nemo', 128_000],
  ['mistral', 32_768],
  ['mixtral', 32_768],
  ['gemma3', 128_000],
  ['gemma2', 8_192],
  ['phi4', 16_384],
  ['deepseek-r1', 128_000],
];

const MAX_OUTPUT: [prefix: string, tokens: number][] = [
  ['gpt-5', 16_384],
  ['gpt-4.1', 8_192],
  ['gpt-4o', 4_096],
  ['claude', 4_096],
];

const DEFAULT_LOCAL_CONTEXT_WINDOW = 32_768;
const DEFAULT_OPENAI_CONTEXT_WINDOW = 128_000;
/** Letta caps the default window of a new agent at 128k even when the model allows more. */
const DEFAULT_CONTEXT_WINDOW_CAP = 128_000;

function byPrefix(table: [string, number][], model: string): number | undefined {
  // Local servers name models like "llama3.1:8b" or "library/qwen2.5"; compare on the last path segment.
  const name = model.toLowerCase().split('/').at(-1) ?? '';
  let best: [string, number] | undefined;
  for (const entry of table) if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}

/** The model's full context window, or a default for its kind of provider. */
export function maxContextWindow(model: string, endpointType: string): number {
  const known = byPrefix(CONTEXT_WINDOWS, model);
  if (known) return known;
  if (endpointType === 'anthropic') return 200_000;
  return endpointType === 'openai' ? DEFAULT_OPENAI_CONTEXT_WINDOW : DEFAULT_LOCAL_CONTEXT_WINDOW;
}

export const defaultContextWindow = (model: string, endpointType: string): number =>
  Math.min(maxContextWindow(model, endpointType), DEFAULT_CONTEXT_WINDOW_CAP);

export const maxOutputTokens = (model: string): number | undefined => byPrefix(MAX_OUTPUT, model);

const EMBEDDING_DIMS: [prefix: string, dim: number][] = [
  ['text-embedding-3-large', 3072],
  ['text-embedding-3-small', 1536],
  ['text-embedding-ada-002', 1536],
  ['nomic-embed-text', 768],
  ['mxbai-embed-large', 1024],
  ['all-minilm', 384],
  ['bge-m3', 1024],
  ['snowflake-arctic-embed', 1024],
];

export const embeddingDim = (model: string): number | undefined => byPrefix(EMBEDDING_DIMS, model);

/** Heuristic for splitting a provider's /models list into chat and embedding models. */
export const isEmbeddingModel = (model: string): boolean => /embed|minilm|bge-|e5-/i.test(model);
