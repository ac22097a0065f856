// The official Letta SDK against a real Mnemo server on a free port.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';

// On the scripted LLM: /v1/models lists only the models a reachable provider offers.
const t = useAgentHarness({ sdk: true });

describe('SDK: foundation resources', () => {
  it('reports health and models', async () => {
    expect((await t.client.health()).status).toBe('ok');
    const models = await t.client.models.list();
    expect(models.some((m) => m.handle === 'openai/gpt-4o-mini')).toBe(true);
  });

  it('creates, reads, updates, lists and deletes agents', async () => {
    const agent = await t.client.agents.create({
      model: 'openai/gpt-4o-mini',
      memory_blocks: [{ label: 'human', value: 'Name: Sam' }],
      tags: ['sdk'],
    });
    expect(agent.id).toMatch(/^agent-/);
    const got = await t.client.agents.retrieve(agent.id);
    expect(got.name).toBe(agent.name);
    const updated = await t.client.agents.update(agent.id, { description: 'from the sdk' });
    expect(updated.description).toBe('from the sdk');
    const human = await t.client.agents.blocks.retrieve('human', { agent_id: agent.id });
    expect(human.value).toBe('Name: Sam');
    await t.client.agents.blocks.update('human', { agent_id: agent.id, value: 'Name: Samantha' });
    expect((await t.client.agents.blocks.retrieve('human', { agent_id: agent.id })).value).toBe('Name: Samantha');
    const blocks: string[] = [];
    for await (const b of t.client.agents.blocks.list(agent.id)) blocks.push(b.label ?? '');
    expect(blocks).toEqual(['human']);
    await t.client.agents.delete(agent.id);
    await expect(t.client.agents.retrieve(agent.id)).rejects.toMatchObject({ status: 404 });
  });

  it('auto-paginates over many agents with for await', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 23; i++)
      created.add((await t.client.agents.create({ model: 'openai/gpt-4o-mini', tags: ['many'], include_base_tools: false })).id);
    const seen: string[] = [];
    for await (const a of t.client.agents.list({ tags: ['many'], limit: 5 })) seen.push(a.id);
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(created);
  });

  it('creates, updates, lists and deletes blocks', async () => {
    const block = await t.client.blocks.create({ label: 'org', value: 'ACME' });
    expect((await t.client.blocks.retrieve(block.id)).value).toBe('ACME');
    await t.client.blocks.update(block.id, { value: 'ACME Corp' });
    const labels: string[] = [];
    for await (const b of t.client.blocks.list({ label: 'org' })) labels.push(b.value);
    expect(labels).toContain('ACME Corp');
    await t.client.blocks.delete(block.id);
    await expect(t.client.blocks.retrieve(block.id)).rejects.toMatchObject({ status: 404 });
  });
});
