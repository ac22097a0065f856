import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/support/at.js';
import { startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { LlmError, stopReasonFor } from './llm-error.js';
import { createOpenAiProvider } from './openai.js';
import { collectResponse } from './stream-collect.js';
import type { ChatRequest, Provider, StreamEvent } from './types.js';

let llm: ScriptedLlm;
let provider: Provider;
const tools = [{ name: 'send_message', description: 'reply', parameters: { type: 'object', properties: { message: { type: 'string' } } } }];
const req = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
  ],
  ...extra,
});

async function events(r: ChatRequest): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of provider.stream(r)) out.push(e);
  return out;
}

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

beforeAll(async () => {
  llm = await startScriptedLlm();
  provider = createOpenAiProvider({ baseUrl: llm.openaiBaseUrl, apiKey: 'k', timeoutMs: 400, maxRetries: 2, retryBaseDelayMs: 1 });
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

describe('openai provider', () => {
  it('returns plain text with usage and sends our messages in OpenAI form', async () => {
    llm.enqueue({ text: 'hello there', usage: { promptTokens: 12, completionTokens: 3, cachedInputTokens: 4 } });
    const res = await provider.chat(req({ temperature: 0.2, maxTokens: 50 }));
    expect(res).toMatchObject({ text: 'hello there', finishReason: 'stop', toolCalls: [], model: 'gpt-4o-mini' });
    expect(res.usage).toEqual({ promptTokens: 12, completionTokens: 3, totalTokens: 15, cachedInputTokens: 4 });
    const body = at(llm.requests, 0).body;
    expect(body.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ]);
    expect(body).toMatchObject({ temperature: 0.2, max_tokens: 50 });
    expect(body.parallel_tool_calls).toBeUndefined();
  });

  it('returns parallel tool calls and replays them with tool results', async () => {
    llm.enqueue({
      toolCalls: [
        { name: 'send_message', arguments: { message: 'a' }, id: 'call_1' },
        { name: 'send_message', arguments: { message: 'b' } },
      ],
    });
    const res = await provider.chat(req({ tools, toolChoice: 'required', parallelToolCalls: true }));
    expect(res.finishReason).toBe('tool_calls');
    expect(res.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['send_message', { message: 'a' }],
      ['send_message', { message: 'b' }],
    ]);
    expect(at(res.toolCalls, 0).id).toBe('call_1');
    expect(at(llm.requests, 0).body).toMatchObject({
      tool_choice: 'required',
      parallel_tool_calls: true,
      tools: [{ type: 'function', function: { name: 'send_message' } }],
    });
    await provider.chat(
      req({
        messages: [
          ...req().messages,
          { role: 'assistant', toolCalls: res.toolCalls },
          { role: 'tool', toolCallId: 'call_1', name: 'send_message', content: '{"ok":true}' },
        ],
      }),
    );
    const replay = at(llm.requests, 1).body.messages;
    expect(replay[2]).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function' }, {}] });
    expect(replay[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' });
  });

  it('streams deltas that assemble to the same response as the non-streaming call', async () => {
    const step = {
      text: 'thinking aloud',
      reasoning: 'let me see',
      toolCalls: [{ name: 'send_message', arguments: { message: 'long argument text' }, id: 'call_9' }],
      usage: { promptTokens: 9, completionTokens: 7 },
    };
    llm.enqueue(step, step);
    const plain = await provider.chat(req({ tools }));
    const evs = await events(req({ tools }));
    const done = evs.at(-1);
    expect(done?.type).toBe('done');
    expect(done?.type === 'done' && done.response).toEqual(plain);
    expect(plain.reasoning).toEqual([{ text: 'let me see' }]);
    const argDeltas = evs.filter((e) => e.type === 'tool_call_delta');
    expect(argDeltas.length).toBeGreaterThan(1);
    expect(evs.find((e) => e.type === 'tool_call_start')).toEqual({
      type: 'tool_call_start',
      index: 0,
      id: 'call_9',
      name: 'send_message',
    });
    expect(
      evs
        .filter((e) => e.type === 'text_delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('thinking aloud');
    expect(at(llm.requests, 1).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('copes with compatible servers: missing usage and ids, `reasoning` field', async () => {
    const step = {
      text: 'x',
      reasoning: 'r',
      reasoningField: 'reasoning' as const,
      omitUsage: true,
      omitToolCallIds: true,
      toolCalls: [{ name: 'send_message', arguments: '{"message":"m"}' }],
    };
    llm.enqueue(step, step);
    const plain = await provider.chat(req({ tools }));
    const streamed = await collectResponse(provider.stream(req({ tools })));
    for (const r of [plain, streamed]) {
      expect(r.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
      expect(r.reasoning).toEqual([{ text: 'r' }]);
      expect(at(r.toolCalls, 0).id).toMatch(/^call_/);
      expect(at(r.toolCalls, 0).arguments).toBe('{"message":"m"}');
    }
  });

  it.each([
    [{ status: 429 }, 'rate_limit', true],
    [{ status: 401 }, 'auth', false],
    [{ status: 403 }, 'auth', false],
    [{ status: 400, type: 'context_length_exceeded' }, 'context_overflow', false],
    [{ status: 400, message: 'bad tool schema' }, 'bad_request', false],
    [{ status: 500 }, 'server', true],
    [{ status: 429, type: 'insufficient_quota', message: 'You exceeded your current quota' }, 'insufficient_credits', false],
  ])('maps HTTP error %j to %s', async (error, kind, retryable) => {
    llm.setHandler(() => ({ error }));
    const err = await failure(provider.chat(req()));
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(error.status);
    expect(err.isContextOverflow).toBe(kind === 'context_overflow');
    expect(llm.requests.length).toBe(retryable ? 3 : 1);
  });

  it('retries a 429 and a 500 then succeeds', async () => {
    llm.enqueue({ error: { status: 429 } }, { error: { status: 500 } }, { text: 'finally' });
    expect((await provider.chat(req())).text).toBe('finally');
    expect(llm.requests.length).toBe(3);
    llm.enqueue({ error: { status: 429 } }, { text: 'streamed' });
    expect((await collectResponse(provider.stream(req()))).text).toBe('streamed');
    expect(llm.requests.length).toBe(5);
  });

  it('times out a slow response and a stalled stream', async () => {
    const once = createOpenAiProvider({ baseUrl: llm.openaiBaseUrl, timeoutMs: 100, maxRetries: 0 });
    llm.enqueue({ text: 'late', delayMs: 400 });
    expect((await failure(once.chat(req()))).kind).toBe('timeout');
    llm.enqueue({ text: 'a slow stream of words', streamDelayMs: 300 });
    expect((await failure(collectResponse(once.stream(req())))).kind).toBe('timeout');
  });

  it('honours an abort signal as cancelled, before and during a stream', async () => {
    const ctrl = new AbortController();
    llm.enqueue({ text: 'late', delayMs: 300 });
    setTimeout(() => ctrl.abort(), 30);
    const err = await failure(provider.chat(req({ signal: ctrl.signal })));
    expect(err.kind).toBe('cancelled');
    expect(stopReasonFor(err)).toBe('cancelled');
    const ctrl2 = new AbortController();
    llm.enqueue({ text: 'one two three four five six', streamDelayMs: 50 });
    const seen: StreamEvent[] = [];
    const run = (async () => {
      for await (const e of provider.stream(req({ signal: ctrl2.signal }))) {
        seen.push(e);
        if (e.type === 'text_delta') ctrl2.abort();
      }
    })();
    expect((await failure(run)).kind).toBe('cancelled');
    expect(seen.some((e) => e.type === 'done')).toBe(false);
  });

  it('maps an unreachable server to a connection error', async () => {
    const dead = createOpenAiProvider({ baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0, timeoutMs: 1000 });
    const err = await failure(dead.chat(req()));
    expect(err.kind).toBe('connection');
    expect(stopReasonFor(err)).toBe('llm_api_error');
  });

  it('lists models from GET /models', async () => {
    expect((await provider.listModels()).map((m) => m.id)).toContain('gpt-4o-mini');
  });
});
