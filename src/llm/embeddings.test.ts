import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/support/at.js';
import { hashedEmbedding, startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { createEmbeddingClient, decodeEmbedding, vectorProblem } from './embeddings.js';
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
    out.forEach((v, i) => {
      v.forEach((x, j) => {
        expect(x).toBeCloseTo(at(hashedEmbedding(at(texts, i)), j), 5);
      });
    });
    expect(at(embedRequests(), 0).body.dimensions).toBeUndefined();
  });

  it('passes dimensions only when asked', async () => {
    const client = createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, model: 'm', dimensions: 8 });
    const [v] = await client.embed(['x']);
    expect(v).toHaveLength(8);
    expect(at(embedRequests(), 0).body.dimensions).toBe(8);
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

describe('embedding data as sent by compatible servers', () => {
  it('decodes base64 float32 and takes float arrays as they are', () => {
    const v = [0.5, -1.25, 3];
    expect(decodeEmbedding(Buffer.from(new Float32Array(v).buffer).toString('base64'))).toEqual(v);
    expect(decodeEmbedding(v)).toEqual(v);
  });

  it('refuses data that is neither', () => {
    expect(() => decodeEmbedding('AAA=')).toThrow(LlmError);
    expect(() => decodeEmbedding([1, null])).toThrow(LlmError);
    expect(() => decodeEmbedding({})).toThrow(LlmError);
  });

  it('asks for base64 and decodes floats the server sends anyway', async () => {
    llm.setEmbeddingQuirks({ encoding: 'float' });
    const client = createEmbeddingClient({ baseUrl: llm.openaiBaseUrl, model: 'm', dimensions: 8 });
    const [v] = await client.embed(['red apple']);
    expect(at(embedRequests(), 0).body.encoding_format).toBe('base64');
    expect(v).toHaveLength(8);
    v!.forEach((x, i) => {
      expect(x).toBeCloseTo(hashedEmbedding('red apple', 8)[i]!, 6);
    });
  });

  it('names what makes a vector unusable', () => {
    expect(vectorProblem([0.1, 0.2], 2)).toBeNull();
    expect(vectorProblem([0, 0], 2)).toBe('it is all zeros');
    expect(vectorProblem([0.1, NaN], 2)).toBe('it contains NaN or Infinity');
    expect(vectorProblem([0.1, Infinity], 2)).toBe('it contains NaN or Infinity');
    expect(vectorProblem([0.1], 2)).toBe('it has 1 dimensions, expected 2');
    expect(vectorProblem([])).toBe('it is empty');
  });
});
