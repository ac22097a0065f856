import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/support/at.js';
import { startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { defaultContextWindow, embeddingDim, maxContextWindow } from './context-windows.js';
import { buildEmbeddingConfig, buildLlmConfig } from './llm-config.js';
import { EmbeddingModel, LlmConfig, Model } from './model.schemas.js';
import { createLlmRegistry } from './registry.js';
import { InvalidHandleError, UnknownProviderError } from './registry-types.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const registry = () =>
  createLlmRegistry(
    {
      openai: { apiKey: 'k', baseUrl: llm.openaiBaseUrl },
      anthropic: { apiKey: 'k', baseUrl: llm.anthropicBaseUrl },
      ollama: { baseUrl: llm.anthropicBaseUrl },
    },
    { maxRetries: 0, retryBaseDelayMs: 1 },
  );

describe('llm registry', () => {
  it('builds only configured providers', () => {
    expect(
      createLlmRegistry({ openai: { apiKey: undefined }, ollama: { baseUrl: 'http://localhost:11434' } }).providers.map((p) => p.name),
    ).toEqual(['ollama']);
    expect(registry().providers.map((p) => [p.name, p.kind])).toEqual([
      ['openai', 'openai'],
      ['anthropic', 'anthropic'],
      ['ollama', 'openai'],
    ]);
  });

  it('resolves handles on the first slash and rejects malformed or unknown ones', () => {
    const r = registry().resolve('ollama/library/llama3.1:8b');
    expect(r).toMatchObject({
      model: 'library/llama3.1:8b',
      providerName: 'ollama',
      endpointType: 'ollama',
      contextWindow: 128_000,
      endpoint: `${llm.anthropicBaseUrl}/v1`,
    });
    expect(() => registry().resolve('gpt-4o')).toThrow(InvalidHandleError);
    expect(() => registry().resolve('openai/')).toThrow(InvalidHandleError);
    expect(() => registry().resolve('google/gemini')).toThrow(UnknownProviderError);
    expect(new InvalidHandleError('x').status).toBe(400);
    expect(new UnknownProviderError('a/b', 'a').status).toBe(404);
  });

  it('drives a chat through a resolved provider', async () => {
    llm.enqueue({ text: 'via registry' });
    const r = registry().resolve('anthropic/claude-haiku-4-5');
    expect((await r.provider.chat({ model: r.model, messages: [{ role: 'user', content: 'x' }] })).text).toBe('via registry');
    expect(at(llm.requests, 0).path).toBe('/v1/messages');
  });

  it('lists chat and embedding models in Letta shapes, cached, leaving out a provider that does not answer', async () => {
    const reg = registry();
    const models = await reg.listModels();
    for (const m of models) Model.parse(m);
    expect(models.map((m) => m.handle)).toEqual(
      expect.arrayContaining(['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'ollama/gpt-4o']),
    );
    expect(models.find((m) => m.handle === 'openai/gpt-4o')).toMatchObject({
      context_window: 128_000,
      provider_type: 'openai',
      model_type: 'llm',
      model_endpoint_type: 'openai',
    });
    const embeddings = await reg.listEmbeddingModels();
    for (const m of embeddings) EmbeddingModel.parse(m);
    expect(embeddings.find((m) => m.handle === 'openai/text-embedding-3-small')).toMatchObject({
      embedding_dim: 1536,
      model_type: 'embedding',
    });
    const count = llm.requests.length;
    await reg.listModels();
    expect(llm.requests.length).toBe(count);
    const offline = createLlmRegistry({ anthropic: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } }, { maxRetries: 0, timeoutMs: 500 });
    expect(await offline.listModels()).toEqual([]);
    expect(await offline.offers('anthropic/claude-sonnet-4-5')).toBeUndefined();
    expect(await reg.offers('openai/gpt-4o-mini')).toBe(true);
    expect(await reg.offers('openai/gpt-9')).toBe(false);
    expect(await reg.offers('anthropic/claude-haiku-4-5')).toBe(true);
  });

  it('builds llm_config and embedding_config objects', () => {
    const reg = registry();
    const cfg = buildLlmConfig(reg.resolve('openai/gpt-4.1'), { contextWindowLimit: 32_000, parallelToolCalls: true });
    LlmConfig.parse(cfg);
    expect(cfg).toMatchObject({
      model: 'gpt-4.1',
      handle: 'openai/gpt-4.1',
      context_window: 32_000,
      max_tokens: 8192,
      parallel_tool_calls: true,
      put_inner_thoughts_in_kwargs: false,
      provider_name: 'openai',
    });
    expect(buildLlmConfig(reg.resolve('anthropic/claude-opus-4-1')).temperature).toBe(1);
    expect(buildEmbeddingConfig(reg.resolveEmbedding('ollama/nomic-embed-text'))).toMatchObject({
      embedding_dim: 768,
      embedding_model: 'nomic-embed-text',
      embedding_endpoint_type: 'ollama',
      handle: 'ollama/nomic-embed-text',
    });
    expect(() => reg.resolveEmbedding('anthropic/claude-haiku-4-5')).toThrow(UnknownProviderError);
  });

  it('knows context windows with sensible defaults', () => {
    expect(maxContextWindow('gpt-4.1-mini', 'openai')).toBe(1_047_576);
    expect(defaultContextWindow('gpt-4.1-mini', 'openai')).toBe(128_000);
    expect(maxContextWindow('claude-3-5-haiku-latest', 'anthropic')).toBe(200_000);
    expect(maxContextWindow('my-finetune', 'openai')).toBe(128_000);
    expect(maxContextWindow('my-local-model', 'ollama')).toBe(32_768);
    expect(maxContextWindow('qwen2.5:7b', 'ollama')).toBe(32_768);
    expect(embeddingDim('text-embedding-3-large')).toBe(3072);
  });

  it('gives an embedding client for a handle', async () => {
    const client = registry().embeddingClient('openai/text-embedding-3-small', { dimensions: 16 });
    const [v] = await client.embed(['hello world']);
    expect(v).toHaveLength(16);
  });
});
