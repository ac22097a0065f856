// Blocks attached to a sleep-time primary after sleep-time was enabled are shared with its companion; detached
// ones stop being shared; the companion's own blocks stay.
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';

vi.setConfig({ testTimeout: 60_000 });

const t = useAgentHarness();

const isCompanion = (r: RecordedRequest) => String(r.body.messages[0].content).includes('background memory agent');

async function primary(name: string) {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    name,
    model: 'openai/gpt-4o-mini',
    enable_sleeptime: true,
    memory_blocks: [{ label: 'human', value: 'Name: ?' }],
  });
  expect(res.status).toBe(200);
  return res.body as { id: string; managed_group: { id: string; agent_ids: string[] } };
}
async function block(label: string, value: string) {
  const res = await call(t.app, 'POST', '/v1/blocks/', { label, value });
  expect(res.status).toBe(200);
  return res.body as { id: string };
}
const labels = async (agentId: string) =>
  ((await call(t.app, 'GET', `/v1/agents/${agentId}`)).body.blocks as { label: string }[]).map((b) => b.label).sort();

describe('sleep-time companion blocks follow the primary', () => {
  it('attach and detach on the primary reach the companion; its memory_persona stays', async () => {
    const p = await primary('sharer');
    const c = p.managed_group.agent_ids[0]!;
    const project = await block('project', 'Mnemo');
    expect((await call(t.app, 'PATCH', `/v1/agents/${p.id}/core-memory/blocks/attach/${project.id}`)).status).toBe(200);
    expect(await labels(c)).toEqual(['human', 'memory_persona', 'project']);
    expect((await call(t.app, 'PATCH', `/v1/agents/${p.id}/core-memory/blocks/detach/${project.id}`)).status).toBe(200);
    expect(await labels(c)).toEqual(['human', 'memory_persona']);
    expect(await labels(p.id)).toEqual(['human']);
  });

  it('a new block_ids set on the primary is mirrored (added and removed blocks)', async () => {
    const p = await primary('setter');
    const c = p.managed_group.agent_ids[0]!;
    const human = (await call(t.app, 'GET', `/v1/agents/${p.id}`)).body.blocks[0].id;
    const goals = await block('goals', 'ship it');
    const res = await call(t.app, 'PATCH', `/v1/agents/${p.id}`, { block_ids: [goals.id] });
    expect(res.status).toBe(200);
    expect(await labels(c)).toEqual(['goals', 'memory_persona']);
    await call(t.app, 'PATCH', `/v1/agents/${p.id}`, { block_ids: [goals.id, human] });
    expect(await labels(c)).toEqual(['goals', 'human', 'memory_persona']);
  });

  it('a block linked to the primary some other way is shared before the next companion run, and the companion sees it', async () => {
    const p = await primary('linker');
    const c = p.managed_group.agent_ids[0]!;
    const notes = await block('notes', 'prefers mornings');
    // Linked without the agents API (as a group's shared block or an import would).
    await t.ctx.dbh.db.execute(
      sql`insert into agent_blocks (agent_id, block_id, organization_id) select ${p.id}, id, organization_id from blocks where id = ${notes.id}`,
    );
    t.llm.setHandler((r) => (isCompanion(r) ? { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] } : { text: 'hi' }));
    await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'morning!' }] });
    for (let i = 0; i < 300 && !t.llm.requests.some(isCompanion); i++) await new Promise((r) => setTimeout(r, 100));
    const seen = t.llm.requests.find(isCompanion)!;
    expect(String(seen.body.messages[0].content)).toContain('prefers mornings');
    expect(await labels(c)).toEqual(['human', 'memory_persona', 'notes']);
  });

  it('does not share a block whose label the companion already uses', async () => {
    const p = await primary('clash');
    const c = p.managed_group.agent_ids[0]!;
    const persona = await block('memory_persona', 'not the companion persona');
    await call(t.app, 'PATCH', `/v1/agents/${p.id}/core-memory/blocks/attach/${persona.id}`);
    const companionBlocks = (await call(t.app, 'GET', `/v1/agents/${c}`)).body.blocks as { id: string; label: string }[];
    expect(companionBlocks.filter((b) => b.label === 'memory_persona')).toHaveLength(1);
    expect(companionBlocks.map((b) => b.id)).not.toContain(persona.id);
  });
});
