// Identities, groups, agent-to-agent messaging and sleep-time through the official SDK (groups and identity CRUD
// are not in SDK 1.12.1, so those calls go through the client's raw post/get).
import type Letta from '@letta-ai/letta-client';
import { expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import type { RecordedRequest } from '../support/scripted-llm.js';

const t = useAgentHarness({ sdk: true });

const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? 'companion';
const lastRole = (r: RecordedRequest) => (r.body.messages.at(-1) as { role: string }).role;
// include_multi_agent_tools is accepted by the server but missing from the SDK's create params type.
const make = (name: string, extra: Record<string, unknown> = {}) =>
  t.client.agents.create({ name, model: 'openai/gpt-4o-mini', system: `You are ${name}.`, ...extra } as Letta.AgentCreateParams);

it('identities scope agents', async () => {
  const ident = await t.client.post<{ id: string }>('/v1/identities/', {
    body: { identifier_key: 'sdk-user', name: 'SDK user', identity_type: 'user' },
  });
  const mine = await make('owned');
  await make('unowned');
  await t.client.agents.identities.attach(ident.id, { agent_id: mine.id });
  const listed = [];
  for await (const a of t.client.agents.list({ identity_id: ident.id })) listed.push(a.id);
  expect(listed).toEqual([mine.id]);
  const state = await t.client.agents.retrieve(mine.id, { include: ['agent.identities'] });
  expect(state.identities?.map((i) => i.id)).toEqual([ident.id]);
  await t.client.agents.identities.detach(ident.id, { agent_id: mine.id });
  const after = [];
  for await (const a of t.client.agents.list({ identity_id: ident.id })) after.push(a.id);
  expect(after).toEqual([]);
});

it('agents message each other synchronously', async () => {
  const b = await make('sdkb');
  const a = await make('sdka', { include_multi_agent_tools: true });
  t.llm.setHandler((r) => {
    if (speaker(r) === 'sdkb') return { text: 'b says 42' };
    if (lastRole(r) === 'tool') return { text: 'a relays the answer' };
    return { toolCalls: [{ name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'answer?', other_agent_id: b.id } }] };
  });
  const res = await t.client.agents.messages.create(a.id, { messages: [{ role: 'user', content: 'ask b' }] });
  const ret = res.messages.find((m) => m.message_type === 'tool_return_message') as { tool_return: string; status: string };
  expect(ret.status).toBe('success');
  expect(ret.tool_return).toContain('b says 42');
});

it('a round-robin group runs a scripted exchange', async () => {
  const x = await make('sdkx');
  const y = await make('sdky');
  const group = await t.client.post<{ id: string }>('/v1/groups/', {
    body: { agent_ids: [x.id, y.id], manager_config: { manager_type: 'round_robin', max_turns: 2 } },
  });
  t.llm.setHandler((r) => ({ text: `${speaker(r)} was here` }));
  const res = await t.client.post<{ messages: { message_type: string; content: string; sender_id: string }[] }>(
    `/v1/groups/${group.id}/messages`,
    { body: { messages: [{ role: 'user', content: 'hi all' }] } },
  );
  const said = res.messages.filter((m) => m.message_type === 'assistant_message');
  expect(said.map((m) => [m.sender_id, m.content])).toEqual([
    [x.id, 'sdkx was here'],
    [y.id, 'sdky was here'],
  ]);
  const groups = await t.client.get<{ id: string }[]>(`/v1/agents/${x.id}/groups`);
  expect(groups.map((g) => g.id)).toEqual([group.id]);
});

it('a sleep-time agent rewrites the primary memory between turns', async () => {
  const p = await t.client.agents.create({
    name: 'sleeper',
    model: 'openai/gpt-4o-mini',
    system: 'You are sleeper.',
    enable_sleeptime: true,
    memory_blocks: [{ label: 'human', value: 'likes: ?' }],
  });
  expect(p.managed_group?.manager_type).toBe('sleeptime');
  t.llm.setHandler((r) => {
    if (speaker(r) === 'sleeper') return { text: 'noted' };
    if (lastRole(r) === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] };
    return {
      toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'likes: ?', new_string: 'likes: green tea' } }],
    };
  });
  await t.client.agents.messages.create(p.id, { messages: [{ role: 'user', content: 'I love green tea' }] });
  let value = '';
  for (let i = 0; i < 100 && value !== 'likes: green tea'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = (await t.client.agents.blocks.retrieve('human', { agent_id: p.id })).value;
  }
  expect(value).toBe('likes: green tea');
  await t.client.agents.messages.create(p.id, { messages: [{ role: 'user', content: 'what do I like?' }] });
  const lastPrimary = t.llm.requests.filter((r) => speaker(r) === 'sleeper').at(-1)!;
  expect(String(lastPrimary.body.messages[0].content)).toContain('likes: green tea');
});
