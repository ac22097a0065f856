import Letta from '@letta-ai/letta-client';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ sdk: true });

async function collect(stream: AsyncIterable<unknown>): Promise<any[]> {
  const out: any[] = [];
  for await (const ev of stream) out.push(ev);
  return out;
}

describe('conversations through the SDK', () => {
  it('two conversations of one agent answer in parallel over SSE, share memory, and keep both block edits', async () => {
    const agent = await t.client.agents.create({
      model: 'openai/gpt-4o-mini',
      tools: ['memory_insert'],
      include_base_tools: false,
      memory_blocks: [
        { label: 'human', value: 'Known facts:' },
        { label: 'persona', value: 'A gardener.' },
      ],
    });
    const [c1, c2] = await Promise.all([
      t.client.conversations.create({ agent_id: agent.id }),
      t.client.conversations.create({ agent_id: agent.id }),
    ]);
    t.llm.setHandler((req) => {
      const last = req.body.messages.at(-1);
      if (last.role === 'tool') return { text: 'Saved.' };
      const fact = JSON.stringify(last).includes('basil') ? 'Grows basil' : 'Grows mint';
      return { delayMs: 150, toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: fact } }] };
    });
    const [e1, e2] = await Promise.all([
      t.client.conversations.messages.create(c1.id, { messages: [{ role: 'user', content: 'I grow basil' }] }).then(collect),
      t.client.conversations.messages.create(c2.id, { messages: [{ role: 'user', content: 'I grow mint' }] }).then(collect),
    ]);
    for (const events of [e1, e2]) {
      expect(events.map((e) => e.message_type).filter((x) => x !== 'ping')).toEqual([
        'tool_call_message',
        'tool_return_message',
        'assistant_message',
        'stop_reason',
        'usage_statistics',
      ]);
    }
    const block = await t.client.agents.blocks.retrieve('human', { agent_id: agent.id });
    expect(block.value).toContain('Grows basil');
    expect(block.value).toContain('Grows mint');

    t.llm.setHandler(undefined);
    t.llm.enqueue({ text: 'You grow basil and mint.' });
    await collect(await t.client.conversations.messages.create(c1.id, { messages: [{ role: 'user', content: 'What do I grow?' }] }));
    const system = JSON.stringify(t.llm.requests.at(-1)!.body.messages[0]);
    expect(system).toContain('Grows basil');
    expect(system).toContain('Grows mint');

    const page = await t.client.conversations.messages.list(c1.id, { order: 'asc' });
    const types = page.getPaginatedItems().map((m: any) => m.message_type);
    expect(types[0]).toBe('system_message');
    expect(types.filter((x: string) => x === 'user_message')).toHaveLength(2);
    const listed = await t.client.conversations.list({ agent_id: agent.id });
    expect(listed.map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort());
    const forked = await t.client.conversations.fork(c2.id);
    expect(forked.agent_id).toBe(agent.id);
    await t.client.conversations.delete(c2.id);
    await expect(t.client.conversations.retrieve(c2.id)).rejects.toBeInstanceOf(Letta.NotFoundError);
  });
});
