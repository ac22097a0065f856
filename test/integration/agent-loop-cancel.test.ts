// A cancel that only reaches the database (as from another server process) while the model is answering a plain
// JSON request: the reply is dropped, nothing half-written stays, and the thread serves the next turn.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import type { ScriptedLlm } from '../support/scripted-llm.js';

const t = useAgentHarness();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const newAgent = async (name: string) =>
  (await t.createAgent({ name, tools: ['memory_rethink'], memory_blocks: [{ label: 'human', value: 'Name: unknown' }] })).id;

/** Marks the agent's running run cancelled directly in the database, once the model call has started. */
async function cancelFromElsewhere(agentId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    if (t.llm.requests.length > 0) {
      const [r] = await queryRows<{ id: string }>(
        t.ctx.dbh.db,
        sql`update runs set cancel_requested = true where agent_id = ${agentId} and status = 'running' returning id`,
      );
      if (r) return r.id;
    }
    await sleep(10);
  }
  throw new Error('no running run to cancel');
}

async function turnCancelledMidCall(name: string, slowReply: Parameters<ScriptedLlm['enqueue']>[0]) {
  const id = await newAgent(name);
  t.llm.enqueue({ ...slowReply, delayMs: 400 });
  const pending = call(t.app, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content: 'are you there?' }] });
  const runId = await cancelFromElsewhere(id);
  const res = await pending;
  return { id, runId, res };
}

async function expectCleanThread(id: string, runId: string) {
  const history = (await call(t.app, 'GET', `/v1/agents/${id}/messages?limit=50`)).body as { message_type: string; run_id?: string }[];
  expect(history.filter((m) => m.run_id === runId).map((m) => m.message_type)).toEqual(['user_message']);
  const run = (await call(t.app, 'GET', `/v1/runs/${runId}`)).body;
  expect(run.status).toBe('cancelled');
  expect(run.stop_reason).toBe('cancelled');
  const steps = (await call(t.app, 'GET', `/v1/runs/${runId}/steps`)).body as { status: string; stop_reason: string }[];
  expect(steps.map((s) => [s.status, s.stop_reason])).toEqual([['cancelled', 'cancelled']]);
  t.llm.enqueue({ text: 'back again' });
  const next = await call(t.app, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content: 'hello?' }] });
  expect(next.body.stop_reason.stop_reason).toBe('end_turn');
  expect(next.body.messages.find((m: { message_type: string }) => m.message_type === 'assistant_message')?.content).toBe('back again');
}

describe('cancel from another process during the model call (JSON request)', () => {
  it('a plain text reply is dropped by the step write itself', async () => {
    const { id, runId, res } = await turnCancelledMidCall('cancel-text', { text: 'too late' });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('cancelled');
    expect(res.body.messages).toEqual([]);
    await expectCleanThread(id, runId);
  });

  it('a tool call is dropped before the tool runs', async () => {
    const { id, runId, res } = await turnCancelledMidCall('cancel-tool', {
      toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'should not be written' } }],
    });
    expect(res.body.stop_reason.stop_reason).toBe('cancelled');
    expect(res.body.messages).toEqual([]);
    const human = (await call(t.app, 'GET', `/v1/agents/${id}/core-memory/blocks/human`)).body;
    expect(human.value).toBe('Name: unknown');
    await expectCleanThread(id, runId);
  });
});
