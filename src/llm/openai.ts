// Provider adapter for OpenAI and every OpenAI-compatible chat-completions server (Ollama, vLLM, LM Studio…).
import OpenAI from 'openai';
import { touching } from './abort-scope.js';
import { mapOpenAiError } from './openai-errors.js';
import { toOpenAiParams, type OpenAiDialect } from './openai-messages.js';
import { fromOpenAiCompletion } from './openai-response.js';
import { openAiStreamEvents } from './openai-stream.js';
import { buildProvider } from './provider-shell.js';
import { hostOf, type ProviderLog } from './provider-log.js';
import type { ChatRequest, ModelInfo, Provider, StreamEvent } from './types.js';
import { leanFetch } from './lean-fetch.js';

export type OpenAiProviderOptions = {
  name?: string;
  apiKey?: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Overall deadline of one call, every attempt and backoff wait included (default 120 s). */
  deadlineMs?: number;
  maxRetries?: number;
  /** Backoff start; tests pass a few ms. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Defaults to the lean fetch; a caller-given base URL (a BYOK provider) passes the guarded fetch instead. */
  fetch?: typeof fetch;
  /** Failed calls and retries are logged here (provider name and host, never the key). */
  log?: ProviderLog;
};

const OFFICIAL_HOST = 'api.openai.com';

function createOpenAiClient(opts: OpenAiProviderOptions): OpenAI {
  return new OpenAI({
    // Local servers ignore the key, but the SDK refuses to start without one.
    apiKey: opts.apiKey ?? 'not-needed',
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 120_000,
    maxRetries: 0,
    fetch: opts.fetch ?? leanFetch,
  });
}

export function createOpenAiProvider(opts: OpenAiProviderOptions): Provider {
  const client = createOpenAiClient(opts);
  const dialect: OpenAiDialect = { useMaxCompletionTokens: !opts.baseUrl || opts.baseUrl.includes(OFFICIAL_HOST) };
  return buildProvider(
    { ...opts, timeoutMs: opts.timeoutMs ?? 120_000, host: hostOf(opts.baseUrl ?? 'https://api.openai.com/v1'), mapError: mapOpenAiError },
    {
      name: opts.name ?? 'openai',
      kind: 'openai',
      async chatOnce(req, signal) {
        return fromOpenAiCompletion(await client.chat.completions.create(toOpenAiParams(req, dialect), { signal }), req.model);
      },
      async *streamOnce(req: ChatRequest, scope): AsyncGenerator<StreamEvent> {
        const params = { ...toOpenAiParams(req, dialect), stream: true as const, stream_options: { include_usage: true } };
        const chunks = await client.chat.completions.create(params, { signal: scope.signal });
        yield* openAiStreamEvents(touching(chunks, scope), req.model);
      },
      listModels: () => listOpenAiModels(client),
    },
  );
}

async function listOpenAiModels(client: OpenAI): Promise<ModelInfo[]> {
  try {
    const out: ModelInfo[] = [];
    for await (const m of client.models.list()) out.push({ id: m.id });
    return out;
  } catch (err) {
    throw mapOpenAiError(err);
  }
}
