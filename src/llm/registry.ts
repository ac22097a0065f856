// The configured providers and the handle → model lookup the API layer and agent loop use.
import { createAnthropicProvider } from './anthropic.js';
import { defaultContextWindow, embeddingDim, isEmbeddingModel, maxContextWindow, maxOutputTokens } from './context-windows.js';
import { createEmbeddingClient, type EmbeddingClient } from './embeddings.js';
import { leanFetch } from './lean-fetch.js';
import type { ModelListSource } from './model-list-probe.js';
import { createModelLists, listOffers, type ModelLists } from './model-lists.js';
import { toEmbeddingModelEntry, toModelEntry } from './llm-config.js';
import type { EmbeddingModel, Model } from './model.schemas.js';
import { createOpenAiProvider } from './openai.js';
import { splitHandle, UnknownProviderError, type ResolvedEmbedding, type ResolvedModel } from './registry-types.js';
import type { ModelInfo, Provider } from './types.js';
import type { ProviderLog } from './provider-log.js';

export type LlmProvidersConfig = {
  openai?: { apiKey?: string; baseUrl?: string };
  anthropic?: { apiKey?: string; baseUrl?: string };
  ollama?: { baseUrl?: string };
};
export type LlmRegistryOptions = {
  timeoutMs?: number;
  /** Overall deadline of one chat call, retries included (default 120 s). */
  deadlineMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** The providers' model lists (probed with a short timeout, cached); one is made when absent. */
  modelLists?: ModelLists;
  /** Where failed provider calls and their retries are logged. */
  log?: ProviderLog;
};

type Entry = { provider: Provider; type: 'openai' | 'anthropic' | 'ollama'; endpoint: string; apiKey?: string; listFrom: string };

/** What the start-up banner says about a provider. */
export type ProviderStatus = { name: string; endpoint: string; reachable: boolean; models?: number; error?: string };
/** OpenAI's own list holds audio, image and moderation models an agent cannot use. */
const NON_CHAT = /audio|realtime|tts|whisper|transcribe|dall-e|image|moderation|davinci|babbage|search|computer-use/i;

const ollamaV1 = (base: string) => (base.replace(/\/+$/, '').endsWith('/v1') ? base.replace(/\/+$/, '') : `${base.replace(/\/+$/, '')}/v1`);

function buildEntries(cfg: LlmProvidersConfig, o: LlmRegistryOptions): Map<string, Entry> {
  const common = {
    timeoutMs: o.timeoutMs,
    deadlineMs: o.deadlineMs,
    maxRetries: o.maxRetries,
    retryBaseDelayMs: o.retryBaseDelayMs,
    log: o.log,
  };
  const entries = new Map<string, Entry>();
  if (cfg.openai?.apiKey || cfg.openai?.baseUrl) {
    const endpoint = cfg.openai.baseUrl ?? 'https://api.openai.com/v1';
    const provider = createOpenAiProvider({ name: 'openai', ...cfg.openai, ...common });
    entries.set('openai', { provider, type: 'openai', endpoint, apiKey: cfg.openai.apiKey, listFrom: endpoint });
  }
  if (cfg.anthropic?.apiKey || cfg.anthropic?.baseUrl) {
    const endpoint = cfg.anthropic.baseUrl ?? 'https://api.anthropic.com/v1';
    const provider = createAnthropicProvider({ name: 'anthropic', ...cfg.anthropic, ...common });
    const listFrom = cfg.anthropic.baseUrl ?? 'https://api.anthropic.com';
    entries.set('anthropic', { provider, type: 'anthropic', endpoint, apiKey: cfg.anthropic.apiKey, listFrom });
  }
  if (cfg.ollama?.baseUrl) {
    const endpoint = ollamaV1(cfg.ollama.baseUrl);
    const provider = createOpenAiProvider({ name: 'ollama', baseUrl: endpoint, ...common });
    entries.set('ollama', { provider, type: 'ollama', endpoint, listFrom: endpoint });
  }
  return entries;
}

export type LlmRegistry = ReturnType<typeof createLlmRegistry>;

export function createLlmRegistry(cfg: LlmProvidersConfig, opts: LlmRegistryOptions = {}) {
  const entries = buildEntries(cfg, opts);
  const lists = opts.modelLists ?? createModelLists();

  function entryFor(handle: string) {
    const { providerName, model } = splitHandle(handle);
    const entry = entries.get(providerName);
    if (!entry) throw new UnknownProviderError(handle, providerName);
    return { entry, providerName, model };
  }

  function resolve(handle: string): ResolvedModel {
    const { entry, providerName, model } = entryFor(handle);
    return {
      provider: entry.provider,
      providerName,
      providerType: entry.type,
      model,
      handle,
      contextWindow: defaultContextWindow(model, entry.type),
      maxContextWindow: maxContextWindow(model, entry.type),
      endpointType: entry.type,
      endpoint: entry.endpoint,
      maxOutputTokens: maxOutputTokens(model),
    };
  }

  function resolveEmbedding(handle: string, dim?: number): ResolvedEmbedding {
    const { entry, providerName, model } = entryFor(handle);
    if (entry.type === 'anthropic') throw new UnknownProviderError(handle, `${providerName} (no embedding models)`);
    // Unknown models get the usual size for their kind of server; callers can pass the real one.
    const size = dim ?? embeddingDim(model) ?? (entry.type === 'openai' && !cfg.openai?.baseUrl ? 1536 : 768);
    return {
      providerName,
      providerType: entry.type,
      model,
      handle,
      dim: size,
      endpointType: entry.type,
      endpoint: entry.endpoint,
      apiKey: entry.apiKey,
    };
  }

  function embeddingClient(handle: string, o: { dimensions?: number; batchSize?: number } = {}): EmbeddingClient {
    const r = resolveEmbedding(handle, o.dimensions);
    return createEmbeddingClient({ baseUrl: r.endpoint, apiKey: r.apiKey, model: r.model, ...o, ...timing(opts) });
  }

  const source = (name: string, e: Entry): ModelListSource => ({
    key: name,
    name,
    kind: e.type === 'anthropic' ? 'anthropic' : 'openai',
    baseUrl: e.listFrom,
    apiKey: e.apiKey,
    fetch: leanFetch,
  });

  /** Models of the providers that answered; an unreachable provider's models are left out. */
  async function listAll(): Promise<{ name: string; entry: Entry; info: ModelInfo }[]> {
    const answered = await Promise.all(
      [...entries].map(async ([name, entry]) => ({ name, entry, state: await lists.get(source(name, entry)) })),
    );
    return answered.flatMap(({ name, entry, state }) => (state.ok ? state.models.map((info) => ({ name, entry, info })) : []));
  }

  /** true/false when the provider listed its models, undefined when its list is unavailable. */
  async function offers(handle: string): Promise<boolean | undefined> {
    const { entry, providerName, model } = entryFor(handle);
    const state = await lists.get(source(providerName, entry));
    return state.ok ? listOffers(state.models, model) : undefined;
  }

  async function status(): Promise<ProviderStatus[]> {
    return Promise.all(
      [...entries].map(async ([name, entry]) => {
        const s = await lists.get(source(name, entry));
        return s.ok
          ? { name, endpoint: entry.endpoint, reachable: true, models: s.models.length }
          : { name, endpoint: entry.endpoint, reachable: false, error: s.error };
      }),
    );
  }

  async function listModels(): Promise<Model[]> {
    const all = await listAll();
    return all
      .filter(
        ({ entry, info }) => !isEmbeddingModel(info.id) && !(entry.type === 'openai' && !cfg.openai?.baseUrl && NON_CHAT.test(info.id)),
      )
      .map(({ name, info }) => toModelEntry(resolve(`${name}/${info.id}`), info.displayName));
  }

  async function listEmbeddingModels(): Promise<EmbeddingModel[]> {
    const all = await listAll();
    return all
      .filter(({ entry, info }) => entry.type !== 'anthropic' && isEmbeddingModel(info.id))
      .map(({ name, info }) => toEmbeddingModelEntry(resolveEmbedding(`${name}/${info.id}`)));
  }

  return {
    providers: [...entries.values()].map((e) => e.provider),
    provider: (name: string) => entries.get(name)?.provider,
    resolve,
    resolveEmbedding,
    embeddingClient,
    listModels,
    listEmbeddingModels,
    offers,
    status,
    modelLists: lists,
  };
}

const timing = (o: LlmRegistryOptions) => ({ timeoutMs: o.timeoutMs, maxRetries: o.maxRetries, retryBaseDelayMs: o.retryBaseDelayMs });
