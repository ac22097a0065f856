// Provider adapter for Anthropic's messages API.
import type Anthropic from '@anthropic-ai/sdk';
import { touching } from './abort-scope.js';
import { mapAnthropicError } from './anthropic-errors.js';
import { anthropicSdk } from './anthropic-sdk.js';
import { toAnthropicParams } from './anthropic-messages.js';
import { fromAnthropicMessage } from './anthropic-response.js';
import { anthropicStreamEvents } from './anthropic-stream.js';
import { buildProvider } from './provider-shell.js';
import { hostOf, type ProviderLog } from './provider-log.js';
import type { ChatRequest, ModelInfo, Provider, StreamEvent } from './types.js';
import { leanFetch } from './lean-fetch.js';

export type AnthropicProviderOptions = {
  name?: string;
  apiKey?: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Overall deadline of one call, every attempt and backoff wait included (default 120 s). */
  deadlineMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Defaults to the lean fetch; a caller-given base URL (a BYOK provider) passes the guarded fetch instead. */
  fetch?: typeof fetch;
  /** Failed calls and retries are logged here (provider name and host, never the key). */
  log?: ProviderLog;
};

async function createAnthropicClient(opts: AnthropicProviderOptions): Promise<Anthropic> {
  const Sdk = await anthropicSdk();
  return new Sdk({
    apiKey: opts.apiKey ?? 'not-set',
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 120_000,
    maxRetries: 0,
    fetch: opts.fetch ?? leanFetch,
  });
}

export function createAnthropicProvider(opts: AnthropicProviderOptions): Provider {
  let created: Promise<Anthropic> | undefined;
  const client = () => {
    created ??= createAnthropicClient(opts);
    return created;
  };
  return buildProvider(
    {
      ...opts,
      timeoutMs: opts.timeoutMs ?? 120_000,
      host: hostOf(opts.baseUrl ?? 'https://api.anthropic.com'),
      mapError: mapAnthropicError,
    },
    {
      name: opts.name ?? 'anthropic',
      kind: 'anthropic',
      async chatOnce(req, signal) {
        return fromAnthropicMessage(await (await client()).messages.create(toAnthropicParams(req), { signal }), req.model);
      },
      async *streamOnce(req: ChatRequest, scope): AsyncGenerator<StreamEvent> {
        const events = await (await client()).messages.create({ ...toAnthropicParams(req), stream: true }, { signal: scope.signal });
        yield* anthropicStreamEvents(touching(events, scope), req.model);
      },
      listModels: async () => listAnthropicModels(await client()),
      ready: async () => void (await client()),
    },
  );
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
