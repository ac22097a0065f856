import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true });

const model = 'openai/gpt-4o-mini';

describe('agents API', () => {
  it('creates an agent with blocks, base tools and a compiled system message', async () => {
    const res = await call(t.app, 'POST', '/v1/agents/', {
      name: 'Helper One',
      model,
      memory_blocks: [
        { label: 'human', value: 'Name: Ada' },
        { label: 'persona', value: 'I am kind.' },
      ],
      tags: ['a', 'b'],
      secrets: { API_TOKEN: 's3cret' },
      some_future_letta_field: true,
    });
    expect(res.status).toBe(200);
    const a = res.body;
    expect(a.id).toMatch(/^agent-/);
    expect(a).toMatchObject({ name: 'Helper One', agent_type: 'letta_v1_agent', model, tags: ['a', 'b'] });
    expect(a.llm_config).toMatchObject({ model: 'gpt-4o-mini', model_endpoint_type: 'openai', handle: model });
    expect(a.blocks.map((b: { label: string }) => b.label).sort()).toEqual(['human', 'persona']);
    expect(a.tools.map((x: { name: string }) => x.name).sort()).toEqual(['conversation_search', 'memory_insert', 'memory_replace']);
    expect(a.message_ids).toHaveLength(1);
    expect(a.secrets[0]).toMatchObject({ key: 'API_TOKEN', value: 's3cret' });
    const blockLabel = await call(t.app, 'GET', `/v1/agents/${a.id}/core-memory/blocks/human`);
    expect(blockLabel.body.value).toBe('Name: Ada');
  });

  it('validates create requests', async () => {
    expect((await call(t.app, 'POST', '/v1/agents/', { model: 'gpt-4o' })).body.detail).toMatch(/provider\/model-name/);
    expect((await call(t.app, 'POST', '/v1/agents/', {})).status).toBe(400);
    const badName = await call(t.app, 'POST', '/v1/agents/', { model, name: 'bad/name' });
    expect(badName.status).toBe(422);
    expect(badName.body.detail).toContain('name');
    const unknownTool = await call(t.app, 'POST', '/v1/agents/', { model, tools: ['web_search_nope'] });
    expect(unknownTool.status).toBe(400);
    expect(unknownTool.body.detail).toContain('web_search_nope');
    const unknownProvider = await call(t.app, 'POST', '/v1/agents/', { model: 'nowhere/model' });
    expect(unknownProvider.status).toBe(404);
    const dupLabels = await call(t.app, 'POST', '/v1/agents/', {
      model,
      memory_blocks: [
        { label: 'x', value: '1' },
        { label: 'x', value: '2' },
      ],
    });
    expect(dupLabels.status).toBe(400);
    const badTz = await call(t.app, 'POST', '/v1/agents/', { model, timezone: 'Mars/Olympus' });
    expect(badTz.status).toBe(422);
  });

  it('rejects tool rules missing what their type needs and returns valid ones as stored', async () => {
    const noChildren = await call(t.app, 'POST', '/v1/agents/', {
      model,
      tool_rules: [{ type: 'constrain_child_tools', tool_name: 'send_message' }],
    });
    expect(noChildren.status).toBe(422);
    expect(noChildren.body.detail).toContain('tool_rules');
    const conditional = { type: 'conditional', tool_name: 'send_message', child_output_mapping: { a: 'memory_insert' } };
    const a = (await call(t.app, 'POST', '/v1/agents/', { model, include_base_tool_rules: false, tool_rules: [conditional] })).body;
    expect(a.tool_rules).toEqual([{ ...conditional, require_output_mapping: false }]);
    const badType = await call(t.app, 'PATCH', `/v1/agents/${a.id}`, { tool_rules: [{ type: 'nope', tool_name: 'x' }] });
    expect(badType.status).toBe(422);
  });

  it('updates partially and replaces tag, tool and block sets', async () => {
    const a = (await call(t.app, 'POST', '/v1/agents/', { model, tags: ['x'], memory_blocks: [{ label: 'human', value: 'h' }] })).body;
    const block = (await call(t.app, 'POST', '/v1/blocks/', { label: 'team', value: 'shared' })).body;
    const tools = (await call(t.app, 'GET', '/v1/agents/' + a.id)).body.tools;
    const u = await call(t.app, 'PATCH', `/v1/agents/${a.id}`, {
      description: 'd',
      tags: ['y', 'z'],
      block_ids: [block.id],
      tool_ids: [tools[0].id],
    });
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({ name: a.name, description: 'd', tags: ['y', 'z'] });
    expect(u.body.blocks.map((b: { id: string }) => b.id)).toEqual([block.id]);
    expect(u.body.tools.map((x: { id: string }) => x.id)).toEqual([tools[0].id]);
    const missing = await call(t.app, 'PATCH', `/v1/agents/${a.id}`, { block_ids: ['block-00000000-0000-4000-8000-000000000001'] });
    expect(missing.status).toBe(404);
    expect((await call(t.app, 'GET', `/v1/agents/${a.id}`)).body.blocks.map((b: { id: string }) => b.id)).toEqual([block.id]);
  });

  it('shares one block row between agents and attaches/detaches by id', async () => {
    const block = (await call(t.app, 'POST', '/v1/blocks/', { label: 'shared', value: 'team facts' })).body;
    const a = (await call(t.app, 'POST', '/v1/agents/', { model, block_ids: [block.id] })).body;
    const b = (await call(t.app, 'POST', '/v1/agents/', { model })).body;
    const attached = await call(t.app, 'PATCH', `/v1/agents/${b.id}/core-memory/blocks/attach/${block.id}`);
    expect(attached.status).toBe(200);
    await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/shared`, { value: 'updated team facts' });
    expect((await call(t.app, 'GET', `/v1/agents/${b.id}/core-memory/blocks/shared`)).body.value).toBe('updated team facts');
    const agents = await call(t.app, 'GET', `/v1/blocks/${block.id}/agents`);
    expect(agents.body.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    await call(t.app, 'PATCH', `/v1/agents/${b.id}/core-memory/blocks/detach/${block.id}`);
    expect((await call(t.app, 'GET', `/v1/agents/${b.id}/core-memory/blocks/shared`)).status).toBe(404);
    const clash = (await call(t.app, 'POST', '/v1/blocks/', { label: 'shared', value: 'other' })).body;
    const conflict = await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/attach/${clash.id}`);
    expect(conflict.status).toBe(409);
    expect(conflict.headers['x-should-retry']).toBe('false');
  });

  it('lists with tag filters, name and cursors; deletes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await call(t.app, 'POST', '/v1/agents/', { model, name: `lister ${i}`, tags: ['list', i % 2 ? 'odd' : 'even'] })).body.id);
    const any = await call(t.app, 'GET', '/v1/agents/?tags=odd&tags=even&match_all_tags=false&limit=50');
    expect(any.body.filter((x: { id: string }) => ids.includes(x.id))).toHaveLength(4);
    const all = await call(t.app, 'GET', '/v1/agents/?tags=list&tags=odd&match_all_tags=true');
    expect(all.body.map((x: { id: string }) => x.id).sort()).toEqual([ids[1], ids[3]].sort());
    const byName = await call(t.app, 'GET', '/v1/agents/?name=lister%202');
    expect(byName.body.map((x: { id: string }) => x.id)).toEqual([ids[2]]);
    const page = await call(t.app, 'GET', `/v1/agents/?tags=list&limit=2&order=desc&after=${ids[3]}`);
    expect(page.body.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    const del = await call(t.app, 'DELETE', `/v1/agents/${ids[0]}`);
    expect(del.body).toEqual({ message: `Agent id=${ids[0]} successfully deleted` });
    expect((await call(t.app, 'GET', `/v1/agents/${ids[0]}`)).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/v1/agents/${ids[0]}`)).status).toBe(404);
  });

  it('filters agents and blocks by identity id and identifier key', async () => {
    const a = (await call(t.app, 'POST', '/v1/agents/', { model })).body;
    const b = (await call(t.app, 'POST', '/v1/agents/', { model })).body;
    const block = (await call(t.app, 'POST', '/v1/blocks/', { label: 'prefs', value: 'tea' })).body;
    const identity = await call(t.app, 'POST', '/v1/identities/', {
      identifier_key: 'user-42',
      name: 'Ada',
      identity_type: 'user',
      agent_ids: [a.id],
      block_ids: [block.id],
    });
    expect(identity.status).toBe(200);
    const byId = await call(t.app, 'GET', `/v1/agents/?identity_id=${identity.body.id}`);
    expect(byId.body.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const byKey = await call(t.app, 'GET', '/v1/agents/?identifier_keys=user-42');
    expect(byKey.body.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect(byKey.body.map((x: { id: string }) => x.id)).not.toContain(b.id);
    const blocks = await call(t.app, 'GET', `/v1/blocks/?identity_id=${identity.body.id}`);
    expect(blocks.body.map((x: { id: string }) => x.id)).toEqual([block.id]);
    const blocksByKey = await call(t.app, 'GET', '/v1/blocks/?identifier_keys=user-42&identifier_keys=nobody');
    expect(blocksByKey.body.map((x: { id: string }) => x.id)).toEqual([block.id]);
  });

  it('answers 404 for cloud-only routes and unknown paths, 422 for malformed ids', async () => {
    const tpl = await call(t.app, 'POST', '/v1/templates', {});
    expect(tpl.status).toBe(404);
    expect(tpl.body.detail).toContain('Letta Cloud');
    expect((await call(t.app, 'GET', '/v1/agents/agent-123')).status).toBe(422);
    expect((await call(t.app, 'GET', '/v1/health')).body.status).toBe('ok');
  });
});

describe('tags API', () => {
  it('lists distinct agent tags with name filter and name cursors', async () => {
    await call(t.app, 'POST', '/v1/agents/', { model, tags: ['zz-alpha', 'zz-beta'] });
    await call(t.app, 'POST', '/v1/agents/', { model, tags: ['zz-beta', 'zz-gamma'] });
    expect((await call(t.app, 'GET', '/v1/tags/?query_text=zz-')).body).toEqual(['zz-alpha', 'zz-beta', 'zz-gamma']);
    expect((await call(t.app, 'GET', '/v1/tags/?query_text=zz-&after=zz-alpha&limit=1')).body).toEqual(['zz-beta']);
    expect((await call(t.app, 'GET', '/v1/tags/?query_text=zz-&after=zz-gamma')).body).toEqual([]);
  });
});
