// Model handles as one organization sees them: the operator's configured providers first, then the organization's
// own BYOK providers (`<provider-name>/<model>`), whose keys and base URLs never serve another organization.
import { createAnthropicProvider } from './anthropic.js';
import { defaultContextWindow, isEmbeddingModel, maxContextWindow, maxOutputTokens } from './context-windows.js';
import { toModelEntry } from './llm-config.js';
import type { ModelListSource } from './model-list-probe.js';
import { listOffers, type ModelLists } from './model-lists.js';
import type { Model } from './model.schemas.js';
import { createOpenAiProvider } from './openai.js';
import type { LlmRegistry, LlmRegistryOptions } from './registry.js';
import { splitHandle, UnknownProviderError, type ResolvedModel } from './registry-types.js';
import type { Provider } from './types.js';

export type ByokProvider = { id: string; name: string; type: string; apiKey: string; baseUrl: string | null; updatedAt: Date };
/** Finds an organization's provider by name, key decrypted; undefined when it has none of that name. */
export type ByokLookup = (orgId: string, name: string) => Promise<ByokProvider | undefined>;
/** All of an organization's providers, keys decrypted (bounded by the caller). */
export type ByokList = (orgId: string) => Promise<ByokProvider[]>;

/** Provider types served through the OpenAI wire format, with their public endpoints. */
const OPENAI_COMPATIBLE: Record<string, string | null> = {
  openai: 'https://api.openai.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  groq: 'https://api.groq.com/openai/v1',
  together: 'https://api.together.xyz/v1',
  deepseek: 'https://api.deepseek.com/v1',
  xai: 'https://api.x.ai/v1',
  fireworks: 'https://api.fireworks.ai/inference/v1',
  mistral: 'https://api.mistral.ai/v1',
  cerebras: 'https://api.cerebras.ai/v1',
  ollama: null,
  vllm: null,
  lmstudio_openai: null,
  sglang: null,
};
export const BYOK_PROVIDER_TYPES = ['anthropic', ...Object.keys(OPENAI_COMPATIBLE)] as const;

/** The endpoint a provider of this type talks to: its base URL, else the type's public endpoint (null = none). */
export function byokEndpoint(type: string, baseUrl: string | null | undefined): string | null {
  if (baseUrl) return baseUrl;
  if (type === 'anthropic') return 'https://api.anthropic.com/v1';
  return OPENAI_COMPATIBLE[type] ?? null;
}

export type ByokClientOptions = LlmRegistryOptions & { fetch: typeof fetch };

/** A provider client for a BYOK key; every request goes through `fetch` (the guarded fetch). */
export function byokProvider(p: { name: string; type: string; apiKey: string; baseUrl: string | null }, o: ByokClientOptions): Provider {
  const common = {
    timeoutMs: o.timeoutMs,
    deadlineMs: o.deadlineMs,
    maxRetries: o.maxRetries,
    retryBaseDelayMs: o.retryBaseDelayMs,
    fetch: o.fetch,
    log: o.log,
  };
  const baseUrl = byokEndpoint(p.type, p.baseUrl) ?? undefined;
  // The Anthropic SDK adds /v1 itself: its default base URL is the bare host.
  if (p.type === 'anthropic')
    return createAnthropicProvider({ name: p.name, apiKey: p.apiKey, baseUrl: p.baseUrl ?? undefined, ...common });
  return createOpenAiProvider({ name: p.name, apiKey: p.apiKey, baseUrl, ...common });
}

const MAX_CACHED = 256;

/** Where a BYOK provider's model list comes from: its endpoint, its key, the guarded fetch. */
function byokSource(p: ByokProvider, guarded: typeof fetch): ModelListSource {
  const kind = p.type === 'anthropic' ? 'anthropic' : 'openai';
  const key = `byok:${p.id}@${p.updatedAt.getTime()}`;
  return { key, name: p.name, kind, baseUrl: byokEndpoint(p.type, p.baseUrl) ?? '', apiKey: p.apiKey, fetch: guarded };
}

export type OrgModelsDeps = {
  registry: Pick<LlmRegistry, 'resolve' | 'offers'>;
  lookup: ByokLookup;
  list: ByokList;
  client: ByokClientOptions;
  modelLists: ModelLists;
};

export function createOrgModels(deps: OrgModelsDeps) {
  // Clients keyed by provider id and last update, so a changed key or URL builds a new client.
  const clients = new Map<string, Provider>();

  function clientFor(p: ByokProvider): Provider {
    const key = `${p.id}@${p.updatedAt.getTime()}`;
    let c = clients.get(key);
    if (!c) {
      if (clients.size >= MAX_CACHED) clients.delete(clients.keys().next().value!);
      c = byokProvider(p, deps.client);
      clients.set(key, c);
    }
    return c;
  }

  function resolvedFor(p: ByokProvider, model: string): ResolvedModel {
    const kind = p.type === 'anthropic' ? 'anthropic' : 'openai';
    return {
      provider: clientFor(p),
      providerName: p.name,
      providerType: p.type,
      model,
      handle: `${p.name}/${model}`,
      contextWindow: defaultContextWindow(model, kind),
      maxContextWindow: maxContextWindow(model, kind),
      endpointType: kind,
      endpoint: byokEndpoint(p.type, p.baseUrl) ?? '',
      maxOutputTokens: maxOutputTokens(model),
    };
  }

  async function resolve(orgId: string, handle: string): Promise<ResolvedModel> {
    try {
      return deps.registry.resolve(handle);
    } catch (err) {
      if (!(err instanceof UnknownProviderError)) throw err;
      const { providerName, model } = splitHandle(handle);
      const p = await deps.lookup(orgId, providerName);
      if (!p) throw err;
      return resolvedFor(p, model);
    }
  }

  /** The organization's own providers' chat models, from the providers that answered. */
  async function listModels(orgId: string): Promise<Model[]> {
    const providers = await deps.list(orgId);
    const lists = await Promise.all(
      providers.map(async (p) => ({ p, state: await deps.modelLists.get(byokSource(p, deps.client.fetch)) })),
    );
    return lists.flatMap(({ p, state }) =>
      state.ok
        ? state.models
            .filter((m) => !isEmbeddingModel(m.id))
            .map((m) => ({ ...toModelEntry(resolvedFor(p, m.id), m.displayName), provider_category: 'byok' as const }))
        : [],
    );
  }

  /** true/false when the handle's provider listed its models; undefined when the list is unavailable. */
  async function offers(orgId: string, handle: string): Promise<boolean | undefined> {
    try {
      return await deps.registry.offers(handle);
    } catch (err) {
      if (!(err instanceof UnknownProviderError)) throw err;
      const { providerName, model } = splitHandle(handle);
      const p = await deps.lookup(orgId, providerName);
      if (!p) throw err;
      const state = await deps.modelLists.get(byokSource(p, deps.client.fetch));
      return state.ok ? listOffers(state.models, model) : undefined;
    }
  }

  return { resolve, listModels, offers, cacheSize: () => clients.size };
}
