import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashedEmbedding, startScriptedLlm, type ScriptedLlm } from './scripted-llm.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${llm.anthropicBaseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const json = async (res: Response): Promise<any> => res.json();
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('scripted LLM server', () => {
  it('answers "ok" when nothing is scripted and records the request', async () => {
    const res = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect((await json(res)).choices[0].message.content).toBe('ok');
    expect(llm.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', format: 'openai', body: { model: 'm' } });
  });

  it('uses queued steps first, then the handler, in either format', async () => {
    llm.enqueue({ text: 'queued' });
    llm.setHandler((req) => ({ text: `handled ${req.format}` }));
    const a = await json(await post('/v1/messages', { model: 'c', max_tokens: 10, messages: [] }));
    const b = await json(await post('/v1/messages', { model: 'c', max_tokens: 10, messages: [] }));
    expect(a.content[0].text).toBe('queued');
    expect(b.content[0].text).toBe('handled anthropic');
  });

  it('streams OpenAI SSE ending in a usage chunk and [DONE]', async () => {
    llm.enqueue({ text: 'abcdef' });
    const text = await (
      await post('/v1/chat/completions', { model: 'm', messages: [], stream: true, stream_options: { include_usage: true } })
    ).text();
    const frames = text.trim().split('\n\n');
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(frames.at(-2)!.slice(6)).usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams Anthropic events in order', async () => {
    llm.enqueue({ text: 'hello', toolCalls: [{ name: 't', arguments: { a: 1 } }] });
    const text = await (await post('/v1/messages', { model: 'c', max_tokens: 10, messages: [], stream: true })).text();
    const events = [...text.matchAll(/^event: (\w+)/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events.filter((e) => e === 'content_block_start')).toHaveLength(2);
  });

  it('answers errors in each provider shape', async () => {
    llm.enqueue({ error: { status: 400, type: 'context_length_exceeded' } }, { error: { status: 429 } });
    const a = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(a.status).toBe(400);
    expect((await json(a)).error.code).toBe('context_length_exceeded');
    const b = await post('/v1/messages', { model: 'c', messages: [] });
    expect(b.status).toBe(429);
    expect(await json(b)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('embeds deterministically so that texts sharing words are similar', async () => {
    const body = await json(
      await post('/v1/embeddings', { model: 'e', input: ['the cat sat', 'a cat sat down', 'quantum flux'], dimensions: 32 }),
    );
    const [a, b, c] = body.data.map((d: { embedding: number[] }) => d.embedding);
    expect(a).toHaveLength(32);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    expect(hashedEmbedding('the cat sat', 32)).toEqual(a);
  });

  it('serves model lists in both shapes', async () => {
    const openai = await json(await fetch(`${llm.openaiBaseUrl}/models`));
    const anthropic = await json(await fetch(`${llm.openaiBaseUrl}/models`, { headers: { 'anthropic-version': '2023-06-01' } }));
    expect(openai.object).toBe('list');
    expect(anthropic.data[0]).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5' });
  });
});
