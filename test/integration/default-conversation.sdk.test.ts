import Letta from '@letta-ai/letta-client';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, until } from '../support/http.js';

// The agent's own thread wherever a conversation id is accepted: `default` with the agent id (body or query),
// or the agent id itself, driven through the Letta SDK where it has the call.
const t = useAgentHarness({ sdk: true });

async function collect(stream: AsyncIterable<unknown>): Promise<any[]> {
  const out: any[] = [];
  for await (const ev of stream) out.push(ev);
  return out;
}

async function newAgent() {
  return t.client.agents.create({
    model: 'openai/gpt-4o-mini',
    include_base_tools: false,
    memory_blocks: [
      { label: 'human', value: 'Name: Ada' },
      { label: 'persona', value: 'I tend the greenhouse.' },
    ],
  });
}
const user = (content: string) => [{ role: 'user' as const, content }];

describe('the default conversation', () => {
  it('sends JSON, SSE and background turns to the agent’s own thread and resumes the background stream', async () => {
    const agent = await newAgent();
    t.llm.enqueue({ text: 'JSON reply.' });
    const json = await call(t.app, 'POST', '/v1/conversations/default/messages', {
      agent_id: agent.id,
      messages: user('one'),
      streaming: false,
    });
    expect(json.status).toBe(200);
    expect(json.body.messages.map((m: any) => m.content)).toEqual(['JSON reply.']);

    t.llm.enqueue({ text: 'Streamed reply.' });
    const streamed = await collect(await t.client.conversations.messages.create('default', { agent_id: agent.id, messages: user('two') }));
    expect(streamed.filter((e) => e.message_type === 'assistant_message').map((e) => e.content)).toEqual(['Streamed reply.']);

    t.llm.enqueue({ text: 'Background reply.', delayMs: 200 });
    const bg = await collect(await t.client.conversations.messages.create(agent.id, { messages: user('three'), background: true }));
    expect(bg.at(-1)).toMatchObject({ message_type: 'usage_statistics' });
    const resumed = await collect(await t.client.conversations.messages.stream('default', { agent_id: agent.id }));
    expect(resumed.filter((e) => e.message_type === 'assistant_message').map((e) => e.content)).toEqual(['Background reply.']);

    const page = await t.client.conversations.messages.list('default', { agent_id: agent.id, order: 'asc' });
    expect(page.getPaginatedItems().filter((m: any) => m.message_type === 'user_message')).toHaveLength(3);
    const own = await t.client.agents.retrieve(agent.id);
    expect(own.message_ids).toHaveLength(7);
  });

  it('retrieves and updates the default conversation as the agent’s own thread', async () => {
    const agent = await newAgent();
    const viaAgentId = await t.client.conversations.retrieve(agent.id);
    expect(viaAgentId).toMatchObject({ id: 'default', agent_id: agent.id, archived: false, model: 'openai/gpt-4o-mini' });
    expect(viaAgentId.in_context_message_ids).toEqual((await t.client.agents.retrieve(agent.id)).message_ids);
    expect((await call(t.app, 'GET', `/v1/conversations/default?agent_id=${agent.id}`)).body).toEqual(viaAgentId);
    expect((await call(t.app, 'GET', '/v1/conversations/default')).status).toBe(400);

    const updated = await t.client.conversations.update(agent.id, { context_window_limit: 6000 });
    expect(updated.context_window_limit).toBe(6000);
    expect((await t.client.agents.retrieve(agent.id)).llm_config.context_window).toBe(6000);
    const viaDefault = await call(t.app, 'PATCH', '/v1/conversations/default', { agent_id: agent.id, context_window_limit: 5000 });
    expect(viaDefault.body.context_window_limit).toBe(5000);
    await expect(t.client.conversations.update(agent.id, { hidden: true } as never)).rejects.toBeInstanceOf(Letta.BadRequestError);
  });

  it('renames the default conversation (Letta Code /rename): the summary and description are kept and read back', async () => {
    const agent = await newAgent();
    const renamed = await t.client.conversations.update(agent.id, { summary: 'Greenhouse chat' });
    expect(renamed).toMatchObject({ id: 'default', agent_id: agent.id, summary: 'Greenhouse chat', description: null });
    expect((await t.client.conversations.retrieve(agent.id)).summary).toBe('Greenhouse chat');
    const viaDefault = await call(t.app, 'PATCH', '/v1/conversations/default', { agent_id: agent.id, description: 'Plants' });
    expect(viaDefault.status).toBe(200);
    expect(viaDefault.body).toMatchObject({ summary: 'Greenhouse chat', description: 'Plants' });
    const read = await call(t.app, 'GET', `/v1/conversations/default?agent_id=${agent.id}`);
    expect(read.body).toMatchObject({ summary: 'Greenhouse chat', description: 'Plants' });
    // Another agent's default conversation is untouched; a bound is enforced.
    expect((await t.client.conversations.retrieve((await newAgent()).id)).summary).toBeNull();
    const huge = await call(t.app, 'PATCH', `/v1/conversations/${agent.id}`, { summary: 'x'.repeat(10_001) });
    expect(huge.status).toBe(422);
  });

  it('recompiles, forks and compacts the agent’s own thread', async () => {
    const agent = await newAgent();
    for (const q of ['tomatoes?', 'beans?', 'peas?']) {
      t.llm.enqueue({ text: `About ${q}` });
      await call(t.app, 'POST', `/v1/agents/${agent.id}/messages`, { messages: user(q) });
    }
    await t.client.agents.blocks.update('human', { agent_id: agent.id, value: 'Name: Ada Lovelace' });
    const dry = await t.client.conversations.recompile('default', { agent_id: agent.id, dry_run: true });
    expect(dry).toContain('Name: Ada Lovelace');
    const compiled = await t.client.conversations.recompile(agent.id, {});
    expect(compiled).toContain('Name: Ada Lovelace');

    const before = (await t.client.agents.retrieve(agent.id)).message_ids ?? [];
    const fork = await t.client.conversations.fork('default', { agent_id: agent.id });
    expect(fork.id).toMatch(/^conv-/);
    expect(fork.agent_id).toBe(agent.id);
    expect(fork.in_context_message_ids).toHaveLength(before.length);
    expect((fork.in_context_message_ids ?? []).some((id) => before.includes(id))).toBe(false);

    t.llm.enqueue({ text: 'The user asked about tomatoes, beans and peas.' });
    const compacted = await t.client.conversations.messages.compact('default', { agent_id: agent.id });
    expect(compacted.num_messages_before).toBe(before.length);
    expect(compacted.num_messages_after).toBeLessThan(before.length);
    expect((await t.client.agents.retrieve(agent.id)).message_ids).toHaveLength(compacted.num_messages_after);
    // The fork keeps its own copy of the window.
    expect((await t.client.conversations.retrieve(fork.id)).in_context_message_ids).toHaveLength(before.length);
  });

  it('cancels the agent’s active run through the default conversation, and answers {} when nothing runs', async () => {
    const agent = await newAgent();
    expect(await t.client.conversations.cancel('default', { agent_id: agent.id })).toEqual({});
    t.llm.enqueue({ text: 'slow', delayMs: 1500 });
    const run = await t.client.agents.messages.createAsync(agent.id, { messages: user('a slow one') });
    await until(async () => (await t.client.runs.retrieve(run.id)).status === 'running');
    const cancelled = await t.client.conversations.cancel(agent.id);
    expect(cancelled).toEqual({ [run.id]: 'cancelled' });
    await until(async () => (await t.client.runs.retrieve(run.id)).status === 'cancelled');
  });
});
