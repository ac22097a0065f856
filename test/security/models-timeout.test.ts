// A model that never answers: one overall deadline per call (MNEMO_LLM_TIMEOUT_MS, retries included) ends the turn
// with llm_api_error and a message naming the deadline, cancels the HTTP request, and frees the agent at once.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, until } from '../support/http.js';

const t = useAgentHarness({ anthropic: true, listen: true, env: { MNEMO_LLM_TIMEOUT_MS: '500' } });
const MESSAGE = 'The model did not answer within 0.5 s';

/** POST a streamed turn to the listening server; the whole SSE body once the server ends it. */
async function streamTurn(agentId: string, body: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${t.url}/v1/agents/${agentId}/messages/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}

/** `data:` payloads of an SSE body, [DONE] excluded, each tagged with the event name it came under. */
function sseChunks(body: string): { event?: string; data: any }[] {
  return body
    .split('\n\n')
    .filter((f) => f.includes('data: ') && !f.includes('data: [DONE]'))
    .map((f) => {
      const event = /^event: (.*)$/m.exec(f)?.[1];
      return { event, data: JSON.parse(/^data: (.*)$/m.exec(f)![1]!) };
    });
}

const hi = { messages: [{ role: 'user', content: 'hi' }] };

async function expectAgentFree(agentId: string) {
  t.llm.enqueue({ text: 'back again' });
  const started = Date.now();
  const next = await t.send(agentId, hi);
  expect(next.status).toBe(200);
  expect(next.body.messages.map((m: any) => m.content)).toContain('back again');
  expect(Date.now() - started).toBeLessThan(2000);
}

async function expectRunFailedWithTimeout(runId: string) {
  const run = (await call(t.app, 'GET', `/v1/runs/${runId}`)).body;
  expect(run).toMatchObject({ status: 'failed', stop_reason: 'llm_api_error' });
  expect(run.metadata.error).toBe(MESSAGE);
  const steps = (await call(t.app, 'GET', `/v1/runs/${runId}/steps`)).body;
  expect(steps).toHaveLength(1);
  expect(steps[0]).toMatchObject({ status: 'failed', stop_reason: 'llm_api_error', error_type: 'timeout' });
  expect(steps[0].error_data.message).toBe(MESSAGE);
}

for (const model of ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']) {
  describe(`a model that never answers (${model})`, () => {
    it('ends a plain turn at the deadline with 504 llm_api_error, cancels the request and frees the agent', async () => {
      const agent = await t.createAgent({ model });
      t.llm.enqueue({ hang: true });
      const started = Date.now();
      const res = await t.send(agent.id, hi);
      const took = Date.now() - started;
      expect(res.status).toBe(504);
      expect(res.headers['x-should-retry']).toBe('false');
      expect(res.body.detail).toMatchObject({ message: MESSAGE, stop_reason: 'llm_api_error', error_type: 'llm_timeout' });
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(3000);
      // The hung request was closed by us, and never retried past the deadline. (The input's recall embedding may
      // reach the scripted server first: the Anthropic SDK loads on its first use.)
      await until(async () => t.llm.requests.find((r) => r.path !== '/v1/embeddings')?.closedByClient);
      expect(t.llm.requests.filter((r) => r.path !== '/v1/embeddings')).toHaveLength(1);
      await expectRunFailedWithTimeout(res.body.detail.run_id);
      await expectAgentFree(agent.id);
    });
  });
}

describe('deadline across retries', () => {
  it('counts retries and their backoff waits inside the same deadline', async () => {
    const agent = await t.createAgent();
    // The attempt fails retryably after 200 ms and asks for a 5 s wait before the retry: the deadline ends the wait.
    t.llm.enqueue({ delayMs: 200, error: { status: 500, headers: { 'retry-after': '5' } } });
    const started = Date.now();
    const res = await t.send(agent.id, hi);
    expect(res.status).toBe(504);
    expect(res.body.detail.message).toBe(MESSAGE);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(t.llm.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    await expectAgentFree(agent.id);
  });
});

describe('a streamed turn whose model never answers', () => {
  it('ends the stream with stop_reason llm_api_error and an llm_timeout error event', async () => {
    const agent = await t.createAgent();
    t.llm.enqueue({ hang: true });
    const started = Date.now();
    const res = await streamTurn(agent.id, { ...hi, stream_tokens: true });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const chunks = sseChunks(res.body);
    expect(chunks.find((c) => c.data.message_type === 'stop_reason')?.data.stop_reason).toBe('llm_api_error');
    const error = chunks.find((c) => c.event === 'error');
    expect(error?.data).toMatchObject({ message_type: 'error_message', error_type: 'llm_timeout', detail: MESSAGE });
    expect(res.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await expectRunFailedWithTimeout(error!.data.run_id);
    await expectAgentFree(agent.id);
  });

  it('also ends a stream that stalls after its headers', async () => {
    const agent = await t.createAgent();
    t.llm.enqueue({ text: 'one two three four five six', streamDelayMs: 20_000 });
    const started = Date.now();
    const res = await streamTurn(agent.id, { ...hi, stream_tokens: true });
    expect(Date.now() - started).toBeLessThan(3000);
    const chunks = sseChunks(res.body);
    expect(chunks.find((c) => c.data.message_type === 'stop_reason')?.data.stop_reason).toBe('llm_api_error');
    expect(chunks.find((c) => c.event === 'error')?.data.detail).toBe(MESSAGE);
    await expectAgentFree(agent.id);
  });
});

describe('an async run whose model never answers', () => {
  it('is failed with the timeout message, in agreement with its step', async () => {
    const agent = await t.createAgent();
    t.llm.enqueue({ hang: true });
    const created = await call(t.app, 'POST', `/v1/agents/${agent.id}/messages/async`, hi);
    expect(created.status).toBe(200);
    const runId = created.body.id as string;
    const run = await until(async () => {
      const r = (await call(t.app, 'GET', `/v1/runs/${runId}`)).body;
      return ['completed', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    }, 5000);
    expect(run.status).toBe('failed');
    await expectRunFailedWithTimeout(runId);
    await expectAgentFree(agent.id);
  });
});
