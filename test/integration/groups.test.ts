import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ listen: true });

const MISSING_GROUP = 'group-00000000-0000-4000-8000-000000000000';

async function agent(name: string) {
  const res = await call(t.app, 'POST', '/v1/agents/', { name, model: 'openai/gpt-4o-mini', system: `You are ${name}.` });
  expect(res.status).toBe(200);
  return res.body as { id: string; name: string };
}
const group = async (body: Record<string, unknown>) => {
  const res = await call(t.app, 'POST', '/v1/groups/', body);
  expect(res.status).toBe(200);
  return res.body;
};
/** Which agent a scripted request comes from (its system prompt starts with "You are <name>."). */
const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';
const lastInput = (r: RecordedRequest) => JSON.stringify(r.body.messages.slice(1));

describe('groups CRUD', () => {
  it('creates, reads, updates, lists and deletes groups with manager configs', async () => {
    const a = await agent('crud-a');
    const b = await agent('crud-b');
    const rr = await group({ agent_ids: [a.id, b.id], description: 'pair', manager_config: { manager_type: 'round_robin', max_turns: 4 } });
    expect(rr).toMatchObject({
      manager_type: 'round_robin',
      agent_ids: [a.id, b.id],
      description: 'pair',
      max_turns: 4,
      manager_agent_id: null,
    });
    expect(rr.id).toMatch(/^group-[0-9a-f-]{36}$/);
    const dyn = await group({ agent_ids: [b.id], manager_config: { manager_type: 'dynamic', manager_agent_id: a.id } });
    expect(dyn).toMatchObject({ manager_type: 'dynamic', manager_agent_id: a.id, termination_token: 'DONE!', description: '' });
    const deflt = await group({ agent_ids: [a.id] });
    expect(deflt.manager_type).toBe('round_robin');

    expect((await call(t.app, 'GET', `/v1/groups/${rr.id}`)).body).toEqual(rr);
    const upd = await call(t.app, 'PATCH', `/v1/groups/${rr.id}`, {
      agent_ids: [b.id, a.id],
      manager_config: { manager_type: 'round_robin', max_turns: 2 },
    });
    expect(upd.body).toMatchObject({ agent_ids: [b.id, a.id], max_turns: 2, description: 'pair' });
    expect((await call(t.app, 'GET', '/v1/groups/?manager_type=dynamic')).body.map((g: any) => g.id)).toEqual([dyn.id]);
    expect((await call(t.app, 'GET', '/v1/groups/count')).body).toBe(3);
    const ofB = await call(t.app, 'GET', `/v1/agents/${b.id}/groups`);
    expect(ofB.body.map((g: any) => g.id).sort()).toEqual([rr.id, dyn.id].sort());

    expect((await call(t.app, 'DELETE', `/v1/groups/${rr.id}`)).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/groups/${rr.id}`)).status).toBe(404);
  });

  it('validates manager configs, members and ids', async () => {
    const a = await agent('val-a');
    expect((await call(t.app, 'POST', '/v1/groups/', { agent_ids: [a.id], manager_config: { manager_type: 'supervisor' } })).status).toBe(
      422,
    );
    expect((await call(t.app, 'POST', '/v1/groups/', { agent_ids: [a.id], manager_config: { manager_type: 'chaos' } })).status).toBe(422);
    const ghost = 'agent-00000000-0000-4000-8000-000000000000';
    expect((await call(t.app, 'POST', '/v1/groups/', { agent_ids: [ghost] })).status).toBe(404);
    expect(
      (
        await call(t.app, 'POST', '/v1/groups/', {
          agent_ids: [a.id],
          manager_config: { manager_type: 'supervisor', manager_agent_id: ghost },
        })
      ).status,
    ).toBe(404);
    expect((await call(t.app, 'GET', `/v1/groups/${MISSING_GROUP}`)).status).toBe(404);
    expect(
      (await call(t.app, 'POST', `/v1/groups/${MISSING_GROUP}/messages`, { messages: [{ role: 'user', content: 'hi' }] })).status,
    ).toBe(404);
    expect((await call(t.app, 'GET', '/v1/groups/nope')).status).toBe(422);
  });

  it('attaches shared blocks to every member', async () => {
    const a = await agent('share-a');
    const b = await agent('share-b');
    const block = (await call(t.app, 'POST', '/v1/blocks/', { label: 'team', value: 'we ship on fridays' })).body;
    const g = await group({ agent_ids: [a.id, b.id], shared_block_ids: [block.id] });
    expect(g.shared_block_ids).toEqual([block.id]);
    for (const id of [a.id, b.id]) {
      const st = (await call(t.app, 'GET', `/v1/agents/${id}`)).body;
      expect(st.blocks.map((x: any) => x.id)).toContain(block.id);
    }
  });
});

describe('group conversations', () => {
  it('round robin: members take turns and each hears the others', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const g = await group({ agent_ids: [alice.id, bob.id], manager_config: { manager_type: 'round_robin', max_turns: 3 } });
    let n = 0;
    t.llm.setHandler((r) => ({ text: `${speaker(r)} speaks (${++n})` }));
    const res = await call(t.app, 'POST', `/v1/groups/${g.id}/messages`, { messages: [{ role: 'user', content: 'Plan the trip' }] });
    expect(res.status).toBe(200);
    const said = res.body.messages.filter((m: any) => m.message_type === 'assistant_message');
    expect(said.map((m: any) => m.content)).toEqual(['alice speaks (1)', 'bob speaks (2)', 'alice speaks (3)']);
    expect(said.map((m: any) => m.sender_id)).toEqual([alice.id, bob.id, alice.id]);
    expect(said.every((m: any) => m.group_id === g.id)).toBe(true);
    expect(res.body.usage.run_ids).toHaveLength(3);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    // Bob heard the user and Alice; Alice's second turn heard Bob only (she already saw the user's message).
    expect(speaker(t.llm.requests[1]!)).toBe('bob');
    expect(lastInput(t.llm.requests[1]!)).toContain('Plan the trip');
    expect(lastInput(t.llm.requests[1]!)).toContain('alice speaks (1)');
    expect(lastInput(t.llm.requests[2]!)).toContain('bob speaks (2)');

    const hist = await call(t.app, 'GET', `/v1/groups/${g.id}/messages?order=asc`);
    expect(hist.body.filter((m: any) => m.message_type === 'assistant_message')).toHaveLength(3);
    expect((await call(t.app, 'PATCH', `/v1/groups/${g.id}/reset-messages`)).body).toBeNull();
    expect((await call(t.app, 'GET', `/v1/groups/${g.id}/messages`)).body).toEqual([]);
    const aliceMsgs = (await call(t.app, 'GET', `/v1/agents/${alice.id}`)).body.message_ids;
    expect(aliceMsgs).toHaveLength(1);
  });

  it('supervisor: workers answer, then the manager concludes from their answers', async () => {
    const boss = await agent('boss');
    const w1 = await agent('worker1');
    const w2 = await agent('worker2');
    const g = await group({ agent_ids: [w1.id, w2.id], manager_config: { manager_type: 'supervisor', manager_agent_id: boss.id } });
    t.llm.setHandler((r) => ({ text: speaker(r) === 'boss' ? 'Final: go with plan B' : `${speaker(r)} suggests plan B` }));
    const res = await call(t.app, 'POST', `/v1/groups/${g.id}/messages`, { messages: [{ role: 'user', content: 'Which plan?' }] });
    const said = res.body.messages.filter((m: any) => m.message_type === 'assistant_message');
    expect(said.map((m: any) => m.content)).toEqual(['worker1 suggests plan B', 'worker2 suggests plan B', 'Final: go with plan B']);
    expect(said[2].sender_id).toBe(boss.id);
    const bossReq = t.llm.requests.find((r) => speaker(r) === 'boss')!;
    expect(lastInput(bossReq)).toContain('worker2 suggests plan B');
  });

  it('dynamic: the manager picks speakers until it answers the termination token', async () => {
    const host = await agent('host');
    const ann = await agent('ann');
    const ben = await agent('ben');
    const g = await group({
      agent_ids: [ann.id, ben.id],
      manager_config: { manager_type: 'dynamic', manager_agent_id: host.id, max_turns: 5 },
    });
    const picks = ['ben', 'ann', 'DONE!'];
    t.llm.setHandler((r) => ({ text: speaker(r) === 'host' ? picks.shift()! : `${speaker(r)} here` }));
    const res = await call(t.app, 'POST', `/v1/groups/${g.id}/messages`, { messages: [{ role: 'user', content: 'Who is there?' }] });
    const said = res.body.messages.filter((m: any) => m.message_type === 'assistant_message');
    expect(said.map((m: any) => m.content)).toEqual(['ben here', 'ann here']);
    expect(said.map((m: any) => m.sender_id)).toEqual([ben.id, ann.id]);
    const hostReqs = t.llm.requests.filter((r) => speaker(r) === 'host');
    expect(hostReqs).toHaveLength(3);
    expect(lastInput(hostReqs[1]!)).toContain('ben here');
    expect(res.body.usage.run_ids).toHaveLength(5);
  });

  it('streams a group conversation as SSE', async () => {
    const solo = await agent('solo');
    const g = await group({ agent_ids: [solo.id] });
    t.llm.setHandler(() => ({ text: 'streamed hello' }));
    const res = await fetch(`${t.url}/v1/groups/${g.id}/messages/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((f) => f.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(parsed.find((e) => e.message_type === 'assistant_message')).toMatchObject({ content: 'streamed hello', group_id: g.id });
    expect(parsed.map((e) => e.message_type).slice(-2)).toEqual(['stop_reason', 'usage_statistics']);
  });
});
