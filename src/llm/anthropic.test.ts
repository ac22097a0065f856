import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/support/at.js';
import { startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { createAnthropicProvider } from './anthropic.js';
import { LlmError } from './llm-error.js';
import { collectResponse } from './stream-collect.js';
import type { ChatRequest, LlmMessage, Provider, StreamEvent } from './types.js';

let llm: ScriptedLlm;
let provider: Provider;
const tools = [{ name: 'search', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } } } }];
const req = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  messages: [
    { role: 'system', content: 'persona' },
    { role: 'user', content: 'hi' },
  ],
  ...extra,
});
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
  provider = createAnthropicProvider({ baseUrl: llm.anthropicBaseUrl, apiKey: 'k', timeoutMs: 400, maxRetries: 2, retryBaseDelayMs: 1 });
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

describe('anthropic provider', () => {
  it('sends the system prompt separately with a default max_tokens and returns text + usage', async () => {
    llm.enqueue({ text: 'hello', usage: { promptTokens: 10, completionTokens: 2, cachedInputTokens: 5, cacheWriteTokens: 1 } });
    const res = await provider.chat(req({ temperature: 0.3 }));
    expect(res).toMatchObject({ text: 'hello', finishReason: 'stop', model: 'claude-sonnet-4-5' });
    expect(res.usage).toEqual({ promptTokens: 16, completionTokens: 2, totalTokens: 18, cachedInputTokens: 5, cacheWriteTokens: 1 });
    const body = at(llm.requests, 0).body;
    expect(body).toMatchObject({ system: 'persona', max_tokens: 4096, temperature: 0.3 });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('merges same-role turns, sends tool results as user blocks and mid-conversation system as user', async () => {
    const messages: LlmMessage[] = [
      { role: 'system', content: 'persona' },
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      {
        role: 'assistant',
        content: 'calling',
        toolCalls: [
          { id: 't1', name: 'search', arguments: '{"q":"x"}' },
          { id: 't2', name: 'search', arguments: '{"q":"y"}' },
        ],
      },
      { role: 'tool', toolCallId: 't1', name: 'search', content: 'r1' },
      { role: 'system', content: 'alert' },
      { role: 'tool', toolCallId: 't2', name: 'search', content: 'r2' },
    ];
    await provider.chat(req({ messages, tools, toolChoice: { name: 'search' }, parallelToolCalls: false }));
    const body = at(llm.requests, 0).body;
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ]);
    expect(body.messages[1].content[1]).toEqual({ type: 'tool_use', id: 't1', name: 'search', input: { q: 'x' } });
    expect(body.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'r1' },
      { type: 'tool_result', tool_use_id: 't2', content: 'r2' },
      { type: 'text', text: 'alert' },
    ]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'search', disable_parallel_tool_use: true });
    expect(body.tools[0]).toMatchObject({ name: 'search', input_schema: { type: 'object' } });
  });

  it('returns thinking with its signature and sends it back unchanged, redacted included', async () => {
    llm.enqueue({
      reasoning: 'ponder',
      thinkingSignature: 'SIG==',
      redactedThinking: 'opaque',
      toolCalls: [{ name: 'search', arguments: { q: 'z' }, id: 'tu_1' }],
    });
    const res = await provider.chat(req({ tools, reasoning: { enabled: true, budgetTokens: 2000 }, temperature: 0.5 }));
    expect(res.reasoning).toEqual([
      { text: 'ponder', signature: 'SIG==' },
      { text: 'opaque', redacted: true },
    ]);
    expect(res.finishReason).toBe('tool_calls');
    const first = at(llm.requests, 0).body;
    expect(first.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(first.temperature).toBeUndefined();
    await provider.chat(
      req({
        messages: [
          ...req().messages,
          { role: 'assistant', reasoning: res.reasoning, toolCalls: res.toolCalls },
          { role: 'tool', toolCallId: 'tu_1', name: 'search', content: 'found' },
        ],
      }),
    );
    expect(at(llm.requests, 1).body.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'ponder', signature: 'SIG==' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 'tu_1', name: 'search', input: { q: 'z' } },
    ]);
  });

  it('streams thinking, signature, text and tool deltas that assemble to the non-streaming response', async () => {
    const step = {
      reasoning: 'step by step',
      thinkingSignature: 'S1',
      text: 'let me look',
      toolCalls: [{ name: 'search', arguments: { q: 'a longer query' }, id: 'tu_9' }],
      usage: { promptTokens: 5, completionTokens: 8 },
    };
    llm.enqueue(step, step);
    const plain = await provider.chat(req({ tools }));
    const evs: StreamEvent[] = [];
    for await (const e of provider.stream(req({ tools }))) evs.push(e);
    const done = evs.at(-1);
    expect(done?.type === 'done' && done.response).toEqual(plain);
    const types = new Set(evs.map((e) => e.type));
    for (const t of ['reasoning_delta', 'reasoning_signature', 'text_delta', 'tool_call_start', 'tool_call_delta'])
      expect(types).toContain(t);
    expect(evs.filter((e) => e.type === 'tool_call_delta').length).toBeGreaterThan(1);
    expect(plain.usage).toEqual({ promptTokens: 5, completionTokens: 8, totalTokens: 13 });
  });

  it.each([
    [{ status: 429 }, 'rate_limit'],
    [{ status: 401 }, 'auth'],
    [{ status: 400, type: 'context_length_exceeded' }, 'context_overflow'],
    [{ status: 400 }, 'bad_request'],
    [{ status: 529 }, 'server'],
    [{ status: 400, message: 'Your credit balance is too low to access the Anthropic API.' }, 'insufficient_credits'],
  ])('maps HTTP error %j to %s', async (error, kind) => {
    llm.setHandler(() => ({ error }));
    expect((await failure(provider.chat(req()))).kind).toBe(kind);
  });

  it('retries a 429 then succeeds (2 requests)', async () => {
    llm.enqueue({ error: { status: 429 } }, { text: 'ok now' });
    expect((await provider.chat(req())).text).toBe('ok now');
    expect(llm.requests.length).toBe(2);
  });

  it('times out, and an abort during a stream is cancelled', async () => {
    const once = createAnthropicProvider({ baseUrl: llm.anthropicBaseUrl, timeoutMs: 100, maxRetries: 0 });
    llm.enqueue({ text: 'late', delayMs: 300 });
    expect((await failure(once.chat(req()))).kind).toBe('timeout');
    const ctrl = new AbortController();
    llm.enqueue({ text: 'a b c d e f g', streamDelayMs: 40 });
    setTimeout(() => ctrl.abort(), 60);
    expect((await failure(collectResponse(provider.stream(req({ signal: ctrl.signal }))))).kind).toBe('cancelled');
  });

  it('lists models with display names', async () => {
    expect(await provider.listModels()).toContainEqual({ id: 'claude-haiku-4-5', displayName: 'claude-haiku-4-5' });
  });
});
