import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true });

const schemaFor = (name: string, description = `does ${name}`) => ({
  name,
  description,
  parameters: { type: 'object', properties: { x: { type: 'string', description: 'input' } }, required: ['x'] },
});
const jsTool = (name: string, extra: Record<string, unknown> = {}) => ({
  source_type: 'javascript',
  source_code: `export function ${name}(x) { return x; }`,
  json_schema: schemaFor(name),
  ...extra,
});

async function newAgent(extra: Record<string, unknown> = {}) {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    name: `agent_${Math.random().toString(36).slice(2)}`,
    model: 'openai/gpt-4o-mini',
    include_base_tools: false,
    ...extra,
  });
  expect(res.status).toBe(200);
  return res.body;
}

describe('tools API', () => {
  it('creates, reads, updates, lists and deletes a tool', async () => {
    const created = await call(
      t.app,
      'POST',
      '/v1/tools/',
      jsTool('crud_tool', {
        tags: ['t1'],
        return_char_limit: 1234,
        npm_requirements: [{ name: 'lodash', version: '4' }],
        default_requires_approval: true,
      }),
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'crud_tool',
      tool_type: 'custom',
      source_type: 'javascript',
      description: 'does crud_tool',
      tags: ['t1'],
      return_char_limit: 1234,
      npm_requirements: [{ name: 'lodash', version: '4' }],
      default_requires_approval: true,
      metadata_: {},
    });
    expect(created.body.id).toMatch(/^tool-[0-9a-f-]{36}$/);
    expect(created.body.json_schema.name).toBe('crud_tool');

    const got = await call(t.app, 'GET', `/v1/tools/${created.body.id}`);
    expect(got.body).toEqual(created.body);

    const patched = await call(t.app, 'PATCH', `/v1/tools/${created.body.id}`, {
      description: 'new words',
      metadata_: { k: 1 },
      tags: ['t2'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'new words', metadata_: { k: 1 }, tags: ['t2'], name: 'crud_tool' });

    const listed = await call(t.app, 'GET', '/v1/tools/?name=crud_tool');
    expect(listed.body.map((x: { id: string }) => x.id)).toEqual([created.body.id]);

    const del = await call(t.app, 'DELETE', `/v1/tools/${created.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toBeNull();
    expect((await call(t.app, 'GET', `/v1/tools/${created.body.id}`)).status).toBe(404);
  });

  it('create and upsert update the existing tool with the same name', async () => {
    const a = await call(t.app, 'POST', '/v1/tools/', jsTool('same_name'));
    const b = await call(t.app, 'POST', '/v1/tools/', { ...jsTool('same_name'), description: 'second' });
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.description).toBe('second');
    const c = await call(t.app, 'PUT', '/v1/tools/', { ...jsTool('same_name'), tags: ['up'] });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ id: a.body.id, tags: ['up'] });
    const fresh = await call(t.app, 'PUT', '/v1/tools/', jsTool('upserted_new'));
    expect(fresh.body.id).not.toBe(a.body.id);
  });

  it('re-derives the schema from json_schema on update and refuses a rename onto another tool', async () => {
    const a = await call(t.app, 'POST', '/v1/tools/', jsTool('rename_me'));
    await call(t.app, 'POST', '/v1/tools/', jsTool('taken_name'));
    const renamed = await call(t.app, 'PATCH', `/v1/tools/${a.body.id}`, {
      source_code: 'export function renamed(x) { return x }',
      json_schema: schemaFor('renamed'),
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'renamed', json_schema: { name: 'renamed' } });
    const clash = await call(t.app, 'PATCH', `/v1/tools/${a.body.id}`, { json_schema: schemaFor('taken_name') });
    expect(clash.status).toBe(409);
    expect(clash.headers['x-should-retry']).toBe('false');
  });

  it('validates bodies and ids', async () => {
    expect((await call(t.app, 'POST', '/v1/tools/', { json_schema: schemaFor('x') })).status).toBe(422);
    const noName = await call(t.app, 'POST', '/v1/tools/', {
      source_code: 'x',
      source_type: 'json',
      json_schema: { description: 'no name' },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.detail).toContain('json_schema.name');
    const limit = await call(t.app, 'POST', '/v1/tools/', jsTool('lim', { return_char_limit: 0 }));
    expect(limit.status).toBe(422);
    expect(limit.body.detail).toContain('return_char_limit');
    expect((await call(t.app, 'POST', '/v1/tools/', jsTool('lim2', { return_char_limit: 1_000_001 }))).status).toBe(422);
    expect((await call(t.app, 'GET', '/v1/tools/not-a-tool')).status).toBe(422);
    const missing = 'tool-00000000-0000-4000-8000-000000000000';
    expect((await call(t.app, 'GET', `/v1/tools/${missing}`)).status).toBe(404);
    expect((await call(t.app, 'PATCH', `/v1/tools/${missing}`, { description: 'x' })).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/v1/tools/${missing}`)).status).toBe(404);
  });

  it('protects built-in tools', async () => {
    const [builtin] = (await call(t.app, 'GET', '/v1/tools/?name=send_message')).body;
    expect(builtin.tool_type).toBe('letta_core');
    const del = await call(t.app, 'DELETE', `/v1/tools/${builtin.id}`);
    expect(del.status).toBe(409);
    expect(del.body.detail).toContain('built in');
    const src = await call(t.app, 'PATCH', `/v1/tools/${builtin.id}`, { source_code: 'def send_message(): pass' });
    expect(src.status).toBe(400);
    const overwrite = await call(t.app, 'POST', '/v1/tools/', jsTool('send_message'));
    expect(overwrite.status).toBe(409);
    const tags = await call(t.app, 'PATCH', `/v1/tools/${builtin.id}`, { tags: ['mine'] });
    expect(tags.status).toBe(200);
  });

  it('filters lists by names, ids, search and tool types', async () => {
    const f1 = (await call(t.app, 'POST', '/v1/tools/', jsTool('filter_alpha'))).body;
    const f2 = (await call(t.app, 'POST', '/v1/tools/', jsTool('filter_beta'))).body;
    const names = (q: string) => call(t.app, 'GET', `/v1/tools/?${q}`).then((r) => r.body.map((x: { name: string }) => x.name).sort());
    expect(await names('names=filter_alpha&names=filter_beta')).toEqual(['filter_alpha', 'filter_beta']);
    expect(await names('names=filter_alpha,filter_beta')).toEqual(['filter_alpha', 'filter_beta']);
    expect(await names(`tool_ids=${f2.id}`)).toEqual(['filter_beta']);
    expect(await names('search=filter_al')).toEqual(['filter_alpha']);
    expect(await names('search=FILTER_&tool_types=custom')).toEqual(['filter_alpha', 'filter_beta']);
    const custom = await names('tool_types=custom&limit=1000');
    expect(custom).toContain('filter_alpha');
    expect(custom).not.toContain('send_message');
    const nonCustom = await names('exclude_tool_types=custom&limit=1000');
    expect(nonCustom).toContain('send_message');
    expect(nonCustom).not.toContain('filter_alpha');
    const letta = await names('return_only_letta_tools=true&limit=1000');
    expect(letta).toContain('conversation_search');
    expect(letta).not.toContain('filter_beta');
    const bad = await call(t.app, 'GET', '/v1/tools/?tool_types=custom,bogus');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('bogus');
    expect(f1.id).toBeTruthy();
  });

  it('paginates with order-relative cursors until an empty page', async () => {
    for (let i = 0; i < 3; i++) await call(t.app, 'POST', '/v1/tools/', jsTool(`page_tool_${i}`, { tags: ['pg'] }));
    const seen: string[] = [];
    let after = '';
    for (let guard = 0; guard < 10; guard++) {
      const page = await call(t.app, 'GET', `/v1/tools/?search=page_tool_&limit=2&order=asc${after ? `&after=${after}` : ''}`);
      if (page.body.length === 0) break;
      seen.push(...page.body.map((x: { name: string }) => x.name));
      after = page.body.at(-1).id;
    }
    expect(seen).toEqual(['page_tool_0', 'page_tool_1', 'page_tool_2']);
  });
});

describe('agent tools', () => {
  it("lists an agent's tools with pagination, 404 for an unknown agent", async () => {
    const tools = [];
    for (const n of ['ag_one', 'ag_two', 'ag_three']) tools.push((await call(t.app, 'POST', '/v1/tools/', jsTool(n))).body);
    const agent = await newAgent({ tool_ids: tools.map((x) => x.id) });
    const all = await call(t.app, 'GET', `/v1/agents/${agent.id}/tools`);
    expect(all.status).toBe(200);
    expect(all.body.map((x: { name: string }) => x.name).sort()).toEqual(['ag_one', 'ag_three', 'ag_two']);
    const first = await call(t.app, 'GET', `/v1/agents/${agent.id}/tools?limit=2`);
    expect(first.body).toHaveLength(2);
    const rest = await call(t.app, 'GET', `/v1/agents/${agent.id}/tools?limit=2&after=${first.body[1].id}`);
    expect(rest.body).toHaveLength(1);
    const end = await call(t.app, 'GET', `/v1/agents/${agent.id}/tools?limit=2&after=${rest.body[0].id}`);
    expect(end.body).toEqual([]);
    expect((await call(t.app, 'GET', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/tools')).status).toBe(404);
  });

  it('toggles the requires_approval rule through body, SDK body field or query', async () => {
    const tool = (await call(t.app, 'POST', '/v1/tools/', jsTool('gated'))).body;
    const agent = await newAgent({ tool_ids: [tool.id] });
    const rules = (body: { tool_rules: { type: string; tool_name: string }[] }) =>
      body.tool_rules.filter((r) => r.type === 'requires_approval' && r.tool_name === 'gated').length;
    const on = await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/approval/gated`, { requires_approval: true });
    expect(on.status).toBe(200);
    expect(rules(on.body)).toBe(1);
    const again = await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/approval/gated`, { body_requires_approval: true });
    expect(rules(again.body)).toBe(1);
    const off = await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/approval/gated?requires_approval=false`);
    expect(rules(off.body)).toBe(0);
    expect((await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/approval/gated`, {})).status).toBe(400);
    expect((await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/approval/not_attached`, { requires_approval: true })).status).toBe(
      404,
    );
  });

  it('adds a requires_approval rule when a default_requires_approval tool is attached', async () => {
    const tool = (await call(t.app, 'POST', '/v1/tools/', jsTool('needs_ok', { default_requires_approval: true }))).body;
    const agent = await newAgent();
    const attached = await call(t.app, 'PATCH', `/v1/agents/${agent.id}/tools/attach/${tool.id}`);
    expect(attached.body.tool_rules).toContainEqual(expect.objectContaining({ type: 'requires_approval', tool_name: 'needs_ok' }));
  });
});
