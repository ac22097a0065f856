import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashedEmbedding, startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { createEmbeddingClient } from './embeddings.js';
import { LlmError } from './llm-error.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const embedRequests = () => llm.requests.filter((r) => r.path === '/v1/embeddings');

describe('embedding client', () => {
  it('batches inputs and keeps their order', async () => {
    const client = createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, model: 'text-embedding-3-small', batchSize: 2 });
    const texts = ['red apple', 'green pear', 'blue sky', 'red apple pie', 'stone'];
    const out = await client.embed(texts);
    expect(out).toHaveLength(5);
    expect(embedRequests().map((r) => r.body.input)).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
    out.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(hashedEmbedding(texts[i])[j], 5)));
    expect(embedRequests()[0].body.dimensions).toBeUndefined();
  });

  it('passes dimensions only when asked', async () => {
    const client = createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, model: 'm', dimensions: 8 });
    const [v] = await client.embed(['x']);
    expect(v).toHaveLength(8);
    expect(embedRequests()[0].body.dimensions).toBe(8);
  });

  it('retries a 429 then succeeds, and maps a 401 to auth', async () => {
    const client = createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, model: 'm', maxRetries: 2, retryBaseDelayMs: 1 });
    llm.enqueueEmbeddingError({ status: 429 });
    expect(await client.embed(['a'])).toHaveLength(1);
    expect(embedRequests()).toHaveLength(2);
    llm.enqueueEmbeddingError({ status: 401 });
    const err = await client.embed(['a']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('auth');
  });
});
