import { inArray, sql } from 'drizzle-orm';
import { messages } from '../../src/db/schema/index.js';
import { describe, expect, it } from 'vitest';
import { makeAgentFile, makeSharedBlockFile, normalizeAgentFile, greetTool } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { at } from '../support/at.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true, listen: true });

async function importFile(content: unknown, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const form = new FormData();
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  form.append('file', new Blob([text], { type: 'application/json' }), 'agent.af');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as any };
}

async function exportFile(agentId: string, query = '') {
  const res = await fetch(`${t.url}/v1/agents/${agentId}/export${query}`);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

async function counts() {
  const r = await t.ctx.dbh.db.execute(sql`select (select count(*)::int from agents) a, (select count(*)::int from blocks) b,
    (select count(*)::int from tools) t, (select count(*)::int from messages) m, (select count(*)::int from groups) g`);
  return at((r as unknown as { rows: { a: number; b: number; t: number; m: number; g: number }[] }).rows, 0);
}

const agent = async (id: string) => (await call(t.app, 'GET', `/v1/agents/${id}`)).body;
const messageRows = async (ids: string[]) =>
  (await t.ctx.dbh.db.select().from(messages).where(inArray(messages.id, ids))).map((r) => ({
    id: r.id,
    role: r.role,
    content: r.content as any,
    tool_calls: r.toolCalls as any,
    tool_returns: r.toolReturns as any,
  }));

describe('agent file import', () => {
  it('recreates the agent mid-conversation with its blocks, tools, secrets and in-context window', async () => {
    const res = await importFile(makeAgentFile());
    expect(res.status).toBe(200);
    expect(res.body.agent_ids).toHaveLength(1);
    const a = await agent(res.body.agent_ids[0]);
    expect(a.name).toBe('fern_copy');
    expect(a).toMatchObject({
      agent_type: 'letta_v1_agent',
      timezone: 'Europe/Paris',
      tags: ['garden'],
      description: 'Keeps the greenhouse and greets visitors',
    });
    expect(a.blocks.map((b: any) => [b.label, b.value]).sort()).toEqual([
      ['human', 'Nothing known yet.'],
      ['persona', 'I am Fern. I love tomatoes.'],
    ]);
    expect(a.tools.map((x: any) => x.name).sort()).toEqual(['conversation_search', 'greet_visitor', 'memory_replace']);
    const greet = a.tools.find((x: any) => x.name === 'greet_visitor');
    expect(greet.source_code).toContain('Welcome to the greenhouse');
    expect(greet.json_schema.parameters.required).toEqual(['visitor']);
    const seeded = (await call(t.app, 'GET', '/v1/tools/?name=conversation_search')).body;
    expect(a.tools.find((x: any) => x.name === 'conversation_search').id).toBe(seeded[0].id);
    expect(a.secrets).toEqual([expect.objectContaining({ key: 'GREENHOUSE_KEY', value: '' })]);
    expect(a.llm_config).toMatchObject({ model: 'gpt-4o-mini', handle: 'openai/gpt-4o-mini' });
    expect(a.message_ids).toHaveLength(5);
    const rows = await messageRows(a.message_ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = a.message_ids.map((id: string) => byId.get(id));
    expect(ordered.map((r: any) => r.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(ordered[2].tool_calls[0].function).toEqual({ name: 'greet_visitor', arguments: '{"visitor": "Ada"}' });
    expect(ordered[3].tool_returns[0]).toMatchObject({ tool_call_id: 'call_greet_1', status: 'success' });
  });

  it('applies overrides with Letta precedence and fills secrets from the form', async () => {
    const res = await importFile(
      makeAgentFile(),
      {
        name: 'Rowan',
        override_name: 'ignored',
        override_model_handle: 'openai/gpt-4o',
        secrets: '{"GREENHOUSE_KEY":"s3cret","EXTRA":"x"}',
      },
      { 'x-override-embedding-model': 'openai/text-embedding-3-large' },
    );
    expect(res.status).toBe(200);
    const a = await agent(res.body.agent_ids[0]);
    expect(a.name).toBe('Rowan');
    expect(a.llm_config.model).toBe('gpt-4o');
    expect(a.embedding_config.embedding_model).toBe('text-embedding-3-large');
    expect(Object.fromEntries(a.secrets.map((s: any) => [s.key, s.value]))).toEqual({ GREENHOUSE_KEY: 's3cret', EXTRA: 'x' });
    const model = await importFile(makeAgentFile(), {
      model: 'openai/gpt-4.1',
      override_model_handle: 'openai/gpt-4o',
      append_copy_suffix: 'false',
    });
    const b = await agent(model.body.agent_ids[0]);
    expect(b.llm_config.model).toBe('gpt-4.1');
    expect(b.name).toBe('fern');
  });

  it('keeps an unknown provider config as written, and uses the model override when given', async () => {
    const file: any = makeAgentFile();
    file.agents[0].llm_config = { model: 'mystery-1', model_endpoint_type: 'mystery', context_window: 8000, handle: 'mystery/mystery-1' };
    const kept = await importFile(file);
    expect(kept.status).toBe(200);
    expect((await agent(kept.body.agent_ids[0])).llm_config).toMatchObject({ model: 'mystery-1', model_endpoint_type: 'mystery' });
    const replaced = await importFile(file, { model: 'openai/gpt-4o-mini' });
    expect((await agent(replaced.body.agent_ids[0])).llm_config).toMatchObject({ model: 'gpt-4o-mini', model_endpoint_type: 'openai' });
  });

  it('strip_messages leaves only a fresh system message', async () => {
    const res = await importFile(makeAgentFile(), { strip_messages: 'true' });
    const a = await agent(res.body.agent_ids[0]);
    expect(a.message_ids).toHaveLength(1);
    const sys = at(await messageRows(a.message_ids), 0);
    expect(sys.role).toBe('system');
    expect(sys.content[0].text).toContain('I am Fern. I love tomatoes.');
  });

  it('a block shared by two agents of the file stays one row; groups are recreated', async () => {
    const before = await counts();
    const res = await importFile(makeSharedBlockFile());
    expect(res.status).toBe(200);
    const [north, south] = await Promise.all(res.body.agent_ids.map(agent));
    const log = (a: any) => a.blocks.find((b: any) => b.label === 'garden_log');
    expect(log(north).id).toBe(log(south).id);
    expect(north.blocks.find((b: any) => b.label === 'persona').value).toBe('North side.');
    const after = await counts();
    expect(after.b - before.b).toBe(3);
    expect(after.g - before.g).toBe(1);
    await call(t.app, 'PATCH', `/v1/blocks/${log(north).id}`, { value: 'Planted beans and peas.' });
    expect(log(await agent(south.id)).value).toBe('Planted beans and peas.');
  });

  it('override_existing_tools decides whether a same-name custom tool is rewritten', async () => {
    const v1 = makeAgentFile();
    await importFile(v1);
    const changed: any = makeAgentFile();
    changed.tools[0] = greetTool('tool-0', `${(greetTool() as any).source_code}# revised\n`);
    await importFile(changed, { override_existing_tools: 'false' });
    const list = async () => (await call(t.app, 'GET', '/v1/tools/?name=greet_visitor')).body;
    expect((await list())[0].source_code).not.toContain('# revised');
    await importFile(changed);
    expect(await list()).toHaveLength(1);
    expect((await list())[0].source_code).toContain('# revised');
  });

  it('accepts double-encoded files', async () => {
    const res = await importFile(JSON.stringify(JSON.stringify(makeAgentFile({ name: 'twice' }))));
    expect(res.status).toBe(200);
    expect((await agent(res.body.agent_ids[0])).name).toBe('twice_copy');
  });

  it('rejects corrupt, legacy and inconsistent files, bad secrets and failing imports without writing anything', async () => {
    const before = await counts();
    const corrupt = await importFile('{"agents": [');
    expect(corrupt).toEqual({ status: 400, body: { detail: 'Corrupted agent file format.' } });
    const legacy = await importFile({ version: '0.6.0', name: 'old', core_memory: [], messages: [] });
    expect(legacy.status).toBe(400);
    expect(legacy.body.detail).toMatch(/legacy/i);
    const dangling: any = makeAgentFile();
    dangling.agents[0].block_ids.push('block-9');
    expect((await importFile(dangling)).status).toBe(400);
    expect((await importFile(makeAgentFile(), { secrets: '["not", "an object"]' })).status).toBe(400);
    expect((await importFile(makeAgentFile(), { secrets: '{oops' })).status).toBe(400);
    const lateFailure: any = makeSharedBlockFile();
    lateFailure.agents[1].agent_type = 'mystery_agent';
    const late = await importFile(lateFailure);
    expect(late.status).toBe(400);
    expect(late.body.detail).toContain('mystery_agent');
    const badModel = await importFile(makeAgentFile(), { model: 'nowhere/model-x' });
    expect(badModel.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('requires the file field', async () => {
    const form = new FormData();
    form.append('name', 'x');
    const res = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
  });
});

describe('agent file export', () => {
  it('writes pretty JSON with file-local ids, blanked secrets and every reference resolvable', async () => {
    const { body } = await importFile(makeAgentFile({ env: { GREENHOUSE_KEY: '' } }), { secrets: '{"GREENHOUSE_KEY":"s3cret"}' });
    const res = await exportFile(body.agent_ids[0]);
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    expect(res.text).toMatch(/^\{\n {2}"agents": \[/);
    const file = JSON.parse(res.text);
    expect(Object.keys(file)).toEqual([
      'agents',
      'groups',
      'blocks',
      'files',
      'sources',
      'tools',
      'mcp_servers',
      'skills',
      'metadata',
      'created_at',
    ]);
    const a = file.agents[0];
    expect(a.id).toBe('agent-0');
    expect(file.blocks.map((b: any) => b.id)).toEqual(['block-0', 'block-1']);
    expect(file.tools.map((x: any) => x.id)).toEqual(['tool-0', 'tool-1', 'tool-2']);
    expect(a.messages.map((m: any) => m.id)).toEqual(['message-0', 'message-1', 'message-2', 'message-3', 'message-4']);
    expect(a.in_context_message_ids).toEqual(a.messages.map((m: any) => m.id));
    expect(a.messages.every((m: any) => m.type === 'message' && m.agent_id === 'agent-0')).toBe(true);
    expect(a.tool_exec_environment_variables).toEqual({ GREENHOUSE_KEY: '' });
    expect(file.metadata.revision_id).toMatch(/^mnemo-/);
    const withSecrets = JSON.parse((await exportFile(body.agent_ids[0], '?include_secrets=true')).text);
    expect(withSecrets.agents[0].tool_exec_environment_variables).toEqual({ GREENHOUSE_KEY: 's3cret' });
  });

  it('scrub_messages drops history; use_legacy_format is refused; unknown ids are 404', async () => {
    const { body } = await importFile(makeAgentFile());
    const scrubbed = JSON.parse((await exportFile(body.agent_ids[0], '?scrub_messages=true')).text);
    expect(scrubbed.agents[0].messages).toEqual([]);
    expect(scrubbed.agents[0].in_context_message_ids).toEqual([]);
    expect((await exportFile(body.agent_ids[0], '?use_legacy_format=true')).status).toBe(400);
    expect((await exportFile('agent-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await exportFile(body.agent_ids[0], '?conversation_id=conv-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await exportFile('not-an-id')).status).toBe(422);
  });

  it('POST export accepts skills and scrub_messages in the body', async () => {
    const { body } = await importFile(makeAgentFile());
    const skills = [{ name: 'pruning', files: { 'SKILL.md': '# Pruning\nCut above a node.' } }];
    const res = await call(t.app, 'POST', `/v1/agents/${body.agent_ids[0]}/export`, { skills, scrub_messages: true });
    expect(res.status).toBe(200);
    expect(res.body.skills).toEqual(skills);
    expect(res.body.agents[0].messages).toEqual([]);
  });

  it('exports a group manager with its members, the group and shared blocks once; re-import recreates them', async () => {
    const first = await importFile(makeSharedBlockFile({ supervisor: true }), { append_copy_suffix: 'false' });
    const [north, south] = first.body.agent_ids;
    const file = JSON.parse((await exportFile(north)).text);
    expect(file.agents.map((a: any) => [a.id, a.name])).toEqual([
      ['agent-0', 'north'],
      ['agent-1', 'south'],
    ]);
    expect(file.groups).toEqual([
      expect.objectContaining({
        id: 'group-0',
        agent_ids: ['agent-1'],
        manager_config: { manager_type: 'supervisor', manager_agent_id: 'agent-0' },
      }),
    ]);
    expect(file.blocks.filter((b: any) => b.label === 'garden_log')).toHaveLength(1);
    expect(file.groups[0].shared_block_ids).toEqual([file.blocks.find((b: any) => b.label === 'garden_log').id]);
    expect(file.agents.map((a: any) => a.group_ids)).toEqual([['group-0'], ['group-0']]);
    const southOnly = JSON.parse((await exportFile(south)).text);
    expect(southOnly.agents).toHaveLength(1);
    expect(southOnly.groups).toEqual([]);
    const again = await importFile(file, { append_copy_suffix: 'false' });
    expect(again.body.agent_ids).toHaveLength(2);
    const reexported = JSON.parse((await exportFile(again.body.agent_ids[0])).text);
    expect(normalizeAgentFile(reexported)).toEqual(normalizeAgentFile(file));
  });

  it('round trip: export → import → export gives an equivalent file', async () => {
    const first = await importFile(makeAgentFile(), { append_copy_suffix: 'false' });
    const exported1 = JSON.parse((await exportFile(first.body.agent_ids[0])).text);
    const second = await importFile(exported1, { append_copy_suffix: 'false' });
    expect(second.status).toBe(200);
    const exported2 = JSON.parse((await exportFile(second.body.agent_ids[0])).text);
    expect(normalizeAgentFile(exported2)).toEqual(normalizeAgentFile(exported1));
    const original = normalizeAgentFile(makeAgentFile()) as any;
    const again = normalizeAgentFile(exported2) as any;
    expect(again.agents[0].messages.map((m: any) => [m.role, m.content, m.tool_calls])).toEqual(
      original.agents[0].messages.map((m: any) => [m.role, m.content, m.tool_calls]),
    );
    expect(again.agents[0].in_context_message_ids).toEqual(original.agents[0].in_context_message_ids);
  });
});
