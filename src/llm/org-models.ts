// Model handles as one organization sees them: the operator's configured providers first, then the organization's
// own BYOK providers (`<provider-name>/<model>`), whose keys and base URLs never serve another organization.
import { createAnthropicProvider } from './anthropic.js';
import { defaultContextWindow, maxContextWindow, maxOutputTokens } from './context-windows.js';
import { createOpenAiProvider } from './openai.js';
import type { LlmRegistry, LlmRegistryOptions } from './registry.js';
import { splitHandle, UnknownProviderError, type ResolvedModel } from './registry-types.js';
import type { Provider } from './types.js';

export type ByokProvider = { id: string; name: string; type: string; apiKey: string; baseUrl: string | null; updatedAt: Date };
/** Finds an organization's provider by name, key decrypted; undefined when it has none of that name. */
export type ByokLookup = (orgId: string, name: string) => Promise<ByokProvider | undefined>;

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
  if (p.type === 'anthropic') return createAnthropicProvider({ name: p.name, apiKey: p.apiKey, baseUrl, ...common });
  return createOpenAiProvider({ name: p.name, apiKey: p.apiKey, baseUrl, ...common });
}

const MAX_CACHED = 256;

export function createOrgModels(deps: { registry: Pick<LlmRegistry, 'resolve'>; lookup: ByokLookup; client: ByokClientOptions }) {
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

  async function resolve(orgId: string, handle: string): Promise<ResolvedModel> {
    try {
      return deps.registry.resolve(handle);
    } catch (err) {
      if (!(err instanceof UnknownProviderError)) throw err;
      const { providerName, model } = splitHandle(handle);
      const p = await deps.lookup(orgId, providerName);
      if (!p) throw err;
      const kind = p.type === 'anthropic' ? 'anthropic' : 'openai';
      return {
        provider: clientFor(p),
        providerName,
        providerType: p.type,
        model,
        handle,
        contextWindow: defaultContextWindow(model, kind),
        maxContextWindow: maxContextWindow(model, kind),
        endpointType: kind,
        endpoint: byokEndpoint(p.type, p.baseUrl) ?? '',
        maxOutputTokens: maxOutputTokens(model),
      };
    }
  }

  return { resolve, cacheSize: () => clients.size };
}
