import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

// usage_statistics.context_tokens: the size of the context the turn's last model call left (its prompt plus its
// reply), in JSON and streamed usage and in a run's usage. Streams here go through app.inject.
const t = useAgentHarness();

const sseEvents = (body: string) =>
  body
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''))
    .filter((e) => e !== '[DONE]')
    .map((e) => JSON.parse(e));

describe('context_tokens', () => {
  it('is the last step’s total tokens in JSON usage and in the run’s usage', async () => {
    const a = await t.createAgent({ include_base_tools: false, tools: ['memory_insert'] });
    t.llm.enqueue(
      {
        toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'Likes figs' } }],
        usage: { promptTokens: 900, completionTokens: 20 },
      },
      { text: 'Noted.', usage: { promptTokens: 1000, completionTokens: 30 } },
    );
    const res = await t.send(a.id, { messages: [{ role: 'user', content: 'I like figs' }] });
    expect(res.status).toBe(200);
    expect(res.body.usage).toMatchObject({ step_count: 2, prompt_tokens: 1900, context_tokens: 1030 });
    const runId = res.body.usage.run_ids[0];
    expect((await call(t.app, 'GET', `/v1/runs/${runId}/usage`)).body).toMatchObject({ total_tokens: 1950, context_tokens: 1030 });
  });

  it('is a positive integer in streamed usage, on an SSE response served through app.inject', async () => {
    const a = await t.createAgent({ include_base_tools: false });
    t.llm.enqueue({ text: 'Streamed.' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/agents/${a.id}/messages/stream`,
      payload: { messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.body.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = sseEvents(res.body);
    expect(events.map((e) => e.message_type)).toEqual(['ping', 'assistant_message', 'stop_reason', 'usage_statistics']);
    const usage = events.at(-1);
    expect(Number.isInteger(usage.context_tokens) && usage.context_tokens > 0).toBe(true);
    expect(usage.context_tokens).toBe(usage.total_tokens);
  });
});
