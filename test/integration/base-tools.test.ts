// The built-in tools Letta clients ask for by name: present for every organization, found by name, attachable,
// and written again by POST /v1/tools/add-base-tools.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { createOrgWithKey, callAs } from '../support/orgs.js';

const t = useAgentHarness({ offline: true, env: { MNEMO_API_KEY: 'admin-key' } });
const admin = (method: string, url: string, body?: unknown) => callAs(t.app, 'admin-key', method, url, body);

describe('base tools', () => {
  it.each(['web_search', 'fetch_webpage', 'memory'])('GET /v1/tools/?name=%s finds the built-in', async (name) => {
    const res = await admin('GET', `/v1/tools/?name=${name}`);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ name, tool_type: name === 'memory' ? 'letta_memory_core' : 'letta_builtin' });
    expect(res.body[0].json_schema.name).toBe(name);
  });

  it('a new organization has them too, and agents attach them by name', async () => {
    const org = await createOrgWithKey(t.app, 'admin-key', 'Toolers');
    const found = await callAs(t.app, org.key, 'GET', '/v1/tools/?name=fetch_webpage');
    expect(found.body).toHaveLength(1);
    const agent = await callAs(t.app, org.key, 'POST', '/v1/agents/', {
      model: 'openai/gpt-4o-mini',
      include_base_tools: false,
      tools: ['web_search', 'fetch_webpage', 'memory'],
    });
    expect(agent.status, JSON.stringify(agent.body)).toBe(200);
    expect(agent.body.tools.map((x: { name: string }) => x.name).sort()).toEqual(['fetch_webpage', 'memory', 'web_search']);
  });

  it('POST /v1/tools/add-base-tools restores a changed built-in and returns the set', async () => {
    const before = (await admin('GET', '/v1/tools/?name=web_search')).body[0];
    await t.ctx.dbh.db.execute(sql`UPDATE tools SET description = 'stale' WHERE id = ${before.id}`);
    const res = await admin('POST', '/v1/tools/add-base-tools');
    expect(res.status).toBe(200);
    const names = res.body.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['web_search', 'fetch_webpage', 'memory', 'send_message', 'conversation_search']));
    const after = (await admin('GET', '/v1/tools/?name=web_search')).body[0];
    expect(after.id).toBe(before.id);
    expect(after.description).toBe(before.description);
  });
});
