import { expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ sdk: true });

it('sends a message, lists history and reads runs and steps through the SDK', async () => {
  const agent = await t.client.agents.create({
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [{ label: 'human', value: 'n/a' }],
  });
  t.llm.enqueue({ text: 'Hi from the agent' });
  const res = await t.client.agents.messages.create(agent.id, { messages: [{ role: 'user', content: 'hello' }] });
  expect(res.stop_reason.stop_reason).toBe('end_turn');
  const reply = res.messages.find((m) => m.message_type === 'assistant_message') as { content: string } | undefined;
  expect(reply?.content).toBe('Hi from the agent');
  const history = [];
  for await (const m of t.client.agents.messages.list(agent.id, { order: 'asc' })) history.push(m.message_type);
  expect(history).toEqual(['system_message', 'user_message', 'assistant_message']);
  const runId = res.usage.run_ids![0]!;
  const run = await t.client.runs.retrieve(runId);
  expect(run.status).toBe('completed');
  const steps = [];
  for await (const s of t.client.runs.steps.list(runId)) steps.push(s);
  expect(steps).toHaveLength(1);
  const step = await t.client.steps.retrieve(steps[0]!.id);
  expect(step.run_id).toBe(runId);
});
