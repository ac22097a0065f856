// POST /v1/groups/{id}/messages/async end to end with the SDK: the Run comes back at once, the conversation runs in
// the job queue, and the run is visible, cancellable and reported to callback_url.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { startCallbackReceiver, type CallbackReceiver } from '../support/callback-receiver.js';
import type { RecordedRequest } from '../support/scripted-llm.js';

vi.setConfig({ testTimeout: 60_000 });

type Run = {
  id: string;
  agent_id: string;
  status: string;
  stop_reason?: string | null;
  background?: boolean | null;
  metadata?: any;
  callback_url?: string | null;
  callback_status_code?: number | null;
};

// The callback receiver listens on 127.0.0.1, which the outbound policy refuses unless the operator allows it.
const t = useAgentHarness({ sdk: true, env: { MNEMO_OUTBOUND_ALLOW: '127.0.0.1' } });
let hook: CallbackReceiver;
let hookUrl = '';

beforeAll(async () => {
  hook = await startCallbackReceiver();
  hookUrl = hook.url;
});
afterAll(() => hook.close());

const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';

async function agent(name: string) {
  return t.client.agents.create({ name, model: 'openai/gpt-4o-mini', system: `You are ${name}.` });
}
const createGroup = (body: Record<string, unknown>) => t.client.post<{ id: string }>('/v1/groups/', { body });
const sendAsync = (groupId: string, body: Record<string, unknown>) => t.client.post<Run>(`/v1/groups/${groupId}/messages/async`, { body });

async function finished(runId: string): Promise<Run> {
  for (let i = 0; i < 300; i++) {
    const run = (await t.client.runs.retrieve(runId)) as unknown as Run;
    if (['completed', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('POST /v1/groups/{id}/messages/async', () => {
  it('round robin: returns a Run at once; the members take turns in the background', async () => {
    const a = await agent('rr-a');
    const b = await agent('rr-b');
    t.llm.setHandler((r) => ({ text: `${speaker(r)} says hi`, delayMs: 700 }));
    const g = await createGroup({ agent_ids: [a.id, b.id], manager_config: { manager_type: 'round_robin', max_turns: 2 } });
    const run = await sendAsync(g.id, { messages: [{ role: 'user', content: 'hello group' }], callback_url: hookUrl });
    // Answered before the first member finished speaking (each model call takes 700 ms).
    expect(t.llm.requests.length).toBeLessThanOrEqual(1);
    expect((await t.client.get<any[]>(`/v1/groups/${g.id}/messages`)).filter((m) => m.message_type === 'assistant_message')).toHaveLength(
      0,
    );
    expect(run).toMatchObject({
      agent_id: a.id,
      background: true,
      callback_url: hookUrl,
      metadata: { run_type: 'group_message_async', group_id: g.id },
    });
    expect(['created', 'running']).toContain(run.status);
    const listed = await t.client.runs.list({ agent_id: a.id });
    expect(listed.getPaginatedItems().map((r) => r.id)).toContain(run.id);

    const done = await finished(run.id);
    expect(done).toMatchObject({ status: 'completed', stop_reason: 'end_turn' });
    expect(t.llm.requests.map(speaker)).toEqual(['rr-a', 'rr-b']);
    const memberRuns: string[] = done.metadata.run_ids;
    expect(memberRuns).toHaveLength(2);
    for (const id of memberRuns)
      expect((await t.client.runs.retrieve(id)).metadata).toMatchObject({ run_type: 'group_message', parent_run_id: run.id });
    const said = (await t.client.get<any[]>(`/v1/groups/${g.id}/messages?order=asc`)).filter((m) => m.message_type === 'assistant_message');
    expect(said.map((m) => m.content)).toEqual(['rr-a says hi', 'rr-b says hi']);
    const usage = await t.client.runs.usage.retrieve(run.id);
    expect(usage.total_tokens).toBeGreaterThan(0);

    for (let i = 0; i < 100 && !hook.received.some((c) => c.run_id === run.id); i++) await new Promise((r) => setTimeout(r, 50));
    expect(hook.received.find((c) => c.run_id === run.id)).toMatchObject({ status: 'completed' });
  });

  it('supervisor: the workers answer, then the manager concludes, all in the background', async () => {
    const boss = await agent('sv-boss');
    const w1 = await agent('sv-w1');
    const w2 = await agent('sv-w2');
    t.llm.setHandler((r) => ({ text: speaker(r) === 'sv-boss' ? 'final answer' : `${speaker(r)} thinks 4` }));
    const g = await createGroup({ agent_ids: [w1.id, w2.id], manager_config: { manager_type: 'supervisor', manager_agent_id: boss.id } });
    const run = await sendAsync(g.id, { messages: [{ role: 'user', content: 'what is 2+2?' }] });
    expect(run.agent_id).toBe(boss.id);
    const done = await finished(run.id);
    expect(done.status).toBe('completed');
    expect(t.llm.requests.map(speaker)).toEqual(['sv-w1', 'sv-w2', 'sv-boss']);
    expect(JSON.stringify(t.llm.requests.at(-1)!.body.messages)).toContain('sv-w2 thinks 4');
    expect(done.metadata.run_ids).toHaveLength(3);
  });

  it('is cancelled through the agent cancel route: the member in progress stops and no further member speaks', async () => {
    const a = await agent('cx-a');
    const b = await agent('cx-b');
    t.llm.setHandler(() => ({ text: 'slow words', delayMs: 1500 }));
    const g = await createGroup({ agent_ids: [a.id, b.id], manager_config: { manager_type: 'round_robin', max_turns: 2 } });
    const run = await sendAsync(g.id, { messages: [{ role: 'user', content: 'talk slowly' }] });
    for (let i = 0; i < 100 && t.llm.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const res = await t.client.agents.messages.cancel(a.id, { run_ids: [run.id] });
    expect(res).toMatchObject({ [run.id]: 'cancelled' });
    const done = await finished(run.id);
    expect(done).toMatchObject({ status: 'cancelled', stop_reason: 'cancelled' });
    expect(t.llm.requests.map(speaker)).toEqual(['cx-a']);
  });

  it('refuses at request time: unknown group, empty messages, a group without agents', async () => {
    await expect(
      sendAsync('group-00000000-0000-4000-8000-000000000000', { messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404 });
    const a = await agent('val-a');
    const g = await createGroup({ agent_ids: [a.id] });
    await expect(sendAsync(g.id, { messages: [] })).rejects.toMatchObject({ status: 422 });
    await expect(sendAsync(g.id, { messages: [{ role: 'user', content: 'x' }], callback_url: 'not a url' })).rejects.toMatchObject({
      status: 422,
    });
    const empty = await createGroup({ agent_ids: [] });
    await expect(sendAsync(empty.id, { messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 400 });
    const runs = await t.client.runs.list({ agent_id: a.id });
    expect(runs.getPaginatedItems()).toHaveLength(0);
  });
});
