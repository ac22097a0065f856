// GET /v1/steps/{id}/metrics: how long a step, its model call and its tools took (the console's step timeline).
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

describe('step metrics', () => {
  it('reports the step, model call and tool durations in nanoseconds', async () => {
    const agent = await t.createAgent({ memory_blocks: [{ label: 'human', value: '' }] });
    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'x' } }], delayMs: 20 },
      { text: 'done' },
    );
    const sent = await t.send(agent.id, { messages: [{ role: 'user', content: 'hi' }] });
    expect(sent.status).toBe(200);
    const runId = sent.body.messages[0].run_id;
    const steps = (await call(t.app, 'GET', `/v1/runs/${runId}/steps`)).body;
    const res = await call(t.app, 'GET', `/v1/steps/${steps[0].id}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: steps[0].id, agent_id: agent.id, run_id: runId });
    expect(res.body.llm_request_ns).toBeGreaterThanOrEqual(20_000_000);
    expect(res.body.step_ns).toBeGreaterThanOrEqual(res.body.llm_request_ns);
    expect(res.body.tool_execution_ns).toEqual(expect.any(Number));
  });

  it('answers 404 for an unknown step and 422 for a malformed id', async () => {
    expect((await call(t.app, 'GET', '/v1/steps/step-00000000-0000-4000-8000-000000000000/metrics')).status).toBe(404);
    expect((await call(t.app, 'GET', '/v1/steps/not-a-step/metrics')).status).toBe(422);
  });
});
