import { describe, expect, it, vi } from 'vitest';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { claimLease, releaseLease } from '../../src/sleeptime/lease.js';

vi.setConfig({ testTimeout: 90_000 });

const t = useAgentHarness();

const isCompanion = (r: RecordedRequest) => String(r.body.messages[0].content).includes('background memory agent');
const lastRole = (r: RecordedRequest) => (r.body.messages.at(-1) as { role: string }).role;
const systemText = (r: RecordedRequest) => String(r.body.messages[0].content);

async function primary(extra: Record<string, unknown> = {}) {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    name: 'primary',
    model: 'openai/gpt-4o-mini',
    enable_sleeptime: true,
    memory_blocks: [{ label: 'human', value: 'Name: unknown' }],
    ...extra,
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  // Generous: companion runs are background jobs and CI machines can be slow.
  for (let i = 0; i < 450; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const companionRuns = async (id: string) => (await call(t.app, 'GET', `/v1/runs/?agent_id=${id}`)).body as any[];
const completedRuns = (id: string, n: number) =>
  until(async () => {
    const runs = await companionRuns(id);
    return runs.filter((r) => r.status === 'completed').length >= n ? runs : undefined;
  }, `${n} completed sleep-time runs`);

/** Companion: rewrite the human block from what the user said, then finish. Primary: plain answer. */
function scriptCompanion(rewrite: (transcript: string) => string) {
  t.llm.setHandler((r) => {
    if (!isCompanion(r)) return { text: 'Nice to meet you!' };
    if (lastRole(r) === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] };
    const transcript = String(JSON.stringify(r.body.messages.at(-1).content));
    return { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: rewrite(transcript) } }] };
  });
}

describe('sleep-time agents', () => {
  it('creates a companion sharing the primary blocks and a managed sleeptime group', async () => {
    const p = await primary();
    const g = p.managed_group;
    expect(g).toMatchObject({ manager_type: 'sleeptime', manager_agent_id: p.id, sleeptime_agent_frequency: 1 });
    expect(g.agent_ids).toHaveLength(1);
    const c = (await call(t.app, 'GET', `/v1/agents/${g.agent_ids[0]}`)).body;
    expect(c).toMatchObject({ agent_type: 'sleeptime_agent', name: 'primary-sleeptime' });
    expect(c.blocks.map((b: any) => b.id)).toContain(p.blocks[0].id);
    expect(c.blocks.map((b: any) => b.label)).toContain('memory_persona');
    expect(c.tools.map((x: any) => x.name)).toEqual(
      expect.arrayContaining([
        'memory_rethink',
        'memory_replace',
        'memory_insert',
        'memory_finish_edits',
        'archival_memory_insert',
        'archival_memory_search',
      ]),
    );
    expect(p.tools.map((x: any) => x.name)).not.toContain('memory_replace');
  });

  it('rewrites the primary memory between turns, and the primary sees it on its next turn', async () => {
    const p = await primary();
    const companion = p.managed_group.agent_ids[0];
    scriptCompanion((tr) => (tr.includes('My name is Ada') ? 'Name: Ada' : 'Name: unknown'));
    const first = await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'My name is Ada' }] });
    expect(first.body.messages.at(-1).content).toBe('Nice to meet you!');
    const runs = await completedRuns(companion, 1);
    expect(runs[0].metadata).toMatchObject({ run_type: 'sleeptime_agent_send_message_async', primary_agent_id: p.id });
    const human = (await call(t.app, 'GET', `/v1/agents/${p.id}/core-memory/blocks/human`)).body;
    expect(human.value).toBe('Name: Ada');
    const steps = (await call(t.app, 'GET', `/v1/runs/${runs[0].id}/steps`)).body;
    expect(steps.length).toBe(2);

    await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'Who am I?' }] });
    const primaryReqs = t.llm.requests.filter((r) => !isCompanion(r));
    expect(systemText(primaryReqs.at(-1)!)).toContain('Name: Ada');
    // The second sleep-time run reads only the new turn.
    const after = await completedRuns(companion, 2);
    const companionReqs = t.llm.requests.filter((r) => isCompanion(r) && lastRole(r) === 'user');
    const second = JSON.stringify(companionReqs.at(-1)!.body.messages.at(-1).content);
    expect(second).toContain('Who am I?');
    expect(second).not.toContain('My name is Ada');
    expect(after).toHaveLength(2);
    const group = (await call(t.app, 'GET', `/v1/groups/${p.managed_group.id}`)).body;
    expect(group.last_processed_message_id).toMatch(/^message-/);
  });

  it('answers the primary without waiting for its sleep-time companion', async () => {
    const p = await primary({ name: 'fast' });
    const companion = p.managed_group.agent_ids[0];
    let companionStarted = 0;
    t.llm.setHandler((r) => {
      if (!isCompanion(r)) return { text: 'quick answer' };
      companionStarted = Date.now();
      return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }], delayMs: 1500 };
    });
    const t0 = Date.now();
    const res = await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'hello' }] });
    const answeredAt = Date.now();
    expect(res.body.messages.at(-1).content).toBe('quick answer');
    expect(answeredAt - t0).toBeLessThan(1500);
    const runs = await completedRuns(companion, 1);
    expect(companionStarted).toBeGreaterThan(0);
    expect(new Date(runs[0].completed_at ?? runs[0].updated_at ?? 0).getTime()).toBeGreaterThanOrEqual(answeredAt);
  });

  it('a message to the sleeptime group is answered by the primary, then the companion runs', async () => {
    const p = await primary({ name: 'viagroup' });
    const companion = p.managed_group.agent_ids[0];
    scriptCompanion((tr) => (tr.includes('I moved to Lyon') ? 'Lives in: Lyon' : 'Name: unknown'));
    const res = await call(t.app, 'POST', `/v1/groups/${p.managed_group.id}/messages`, {
      messages: [{ role: 'user', content: 'I moved to Lyon' }],
    });
    const said = res.body.messages.filter((m: any) => m.message_type === 'assistant_message');
    expect(said.map((m: any) => [m.sender_id, m.content])).toEqual([[p.id, 'Nice to meet you!']]);
    await completedRuns(companion, 1);
    expect((await call(t.app, 'GET', `/v1/agents/${p.id}/core-memory/blocks/human`)).body.value).toBe('Lives in: Lyon');
  });

  it('honours sleeptime_agent_frequency (first turn included)', async () => {
    const p = await primary({ name: 'freq' });
    const companion = p.managed_group.agent_ids[0];
    await call(t.app, 'PATCH', `/v1/groups/${p.managed_group.id}`, {
      manager_config: { manager_type: 'sleeptime', sleeptime_agent_frequency: 2 },
    });
    scriptCompanion(() => 'Name: someone');
    const say = (text: string) => call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: text }] });
    // Wait for each companion run before the next turn: a late run would fold several turns into one transcript.
    await say('one');
    await completedRuns(companion, 1);
    await say('two');
    await new Promise((r) => setTimeout(r, 500));
    expect(await companionRuns(companion)).toHaveLength(1);
    await say('three');
    await completedRuns(companion, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(await companionRuns(companion)).toHaveLength(2);
  });

  it('disabling removes the companion and group; deleting the primary deletes its companion', async () => {
    const p = await primary({ name: 'toggler' });
    const companion = p.managed_group.agent_ids[0];
    const personaId = (await call(t.app, 'GET', `/v1/agents/${companion}`)).body.blocks.find((b: any) => b.label === 'memory_persona').id;
    const off = await call(t.app, 'PATCH', `/v1/agents/${p.id}`, { enable_sleeptime: false });
    expect(off.body.managed_group).toBeNull();
    expect(off.body.enable_sleeptime).toBe(false);
    expect((await call(t.app, 'GET', `/v1/agents/${companion}`)).status).toBe(404);
    expect((await call(t.app, 'GET', `/v1/groups/${p.managed_group.id}`)).status).toBe(404);
    expect((await call(t.app, 'GET', `/v1/blocks/${p.blocks[0].id}`)).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/blocks/${personaId}`)).status).toBe(404);

    const on = await call(t.app, 'PATCH', `/v1/agents/${p.id}`, { enable_sleeptime: true });
    const again = on.body.managed_group.agent_ids[0];
    expect(again).not.toBe(companion);
    expect((await call(t.app, 'DELETE', `/v1/agents/${p.id}`)).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/agents/${again}`)).status).toBe(404);
  });

  it('holds one sleep-time lease per primary agent at a time', async () => {
    const db = t.ctx.dbh.db;
    expect(await claimLease(db, 'sleeptime:agent-x', 'job-1', 60_000)).toBe(true);
    expect(await claimLease(db, 'sleeptime:agent-x', 'job-2', 60_000)).toBe(false);
    expect(await claimLease(db, 'sleeptime:agent-y', 'job-2', 60_000)).toBe(true);
    await releaseLease(db, 'sleeptime:agent-x', 'job-1');
    expect(await claimLease(db, 'sleeptime:agent-x', 'job-2', 60_000)).toBe(true);
    // An expired lease can be taken over (its holder crashed).
    expect(await claimLease(db, 'sleeptime:agent-z', 'job-3', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await claimLease(db, 'sleeptime:agent-z', 'job-4', 60_000)).toBe(true);
  });
});
