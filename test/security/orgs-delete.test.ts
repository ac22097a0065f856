// Deleting an organization removes every row it owns, in every table, and nothing of any other organization.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { mcpServers } from '../../src/db/schema/index.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { callAs, createOrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-for-delete-0123456789';
const t = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN } });

/** Rows per table for one organization, over every table that has an organization_id column (found, not listed). */
async function rowsByTable(orgId: string): Promise<Record<string, number>> {
  const tables = await queryRows<{ t: string }>(
    t.ctx.dbh.db,
    sql`
    SELECT c.table_name AS t FROM information_schema.columns c JOIN information_schema.tables x USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND x.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { t: table } of tables) {
    const [r] = await queryRows<{ n: string }>(
      t.ctx.dbh.db,
      sql`SELECT count(*) AS n FROM ${sql.identifier(table)} WHERE organization_id = ${orgId}`,
    );
    out[table] = Number(r!.n);
  }
  return out;
}

async function fillOrg(key: string, orgId: string): Promise<void> {
  const ok = async (method: string, url: string, body?: unknown) => {
    const res = await callAs(t.app, key, method, url, body);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const tool = await ok('POST', '/v1/tools/', {
    source_type: 'javascript',
    source_code: 'export function echo(x) { return x; }',
    json_schema: {
      name: 'echo',
      description: 'echo',
      parameters: { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] },
    },
  });
  const block = await ok('POST', '/v1/blocks/', { label: 'shared', value: 'v' });
  const agent = await ok('POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [{ label: 'human', value: 'x' }],
    block_ids: [block.id],
    tool_ids: [tool.id],
  });
  const agent2 = await ok('POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
  t.llm.enqueue({ text: 'hello' });
  await ok('POST', `/v1/agents/${agent.id}/messages`, { input: 'hi' });
  await ok('POST', `/v1/agents/${agent.id}/archival-memory`, { text: 'a fact' });
  const archive = await ok('POST', '/v1/archives/', { name: 'notes', embedding: 'openai/text-embedding-3-small' });
  await ok('PATCH', `/v1/agents/${agent.id}/archives/attach/${archive.id}`);
  const conv = await ok('POST', `/v1/conversations/?agent_id=${agent.id}`, {});
  t.llm.enqueue({ text: 'in a conversation' });
  const sent = await callAs(t.app, key, 'POST', `/v1/conversations/${conv.id}/messages`, { input: 'hi', streaming: false });
  expect(sent.status).toBeLessThan(300);
  await ok('POST', '/v1/identities/', {
    identifier_key: 'u1',
    name: 'U',
    identity_type: 'user',
    agent_ids: [agent.id],
    block_ids: [block.id],
  });
  await ok('POST', '/v1/groups/', { agent_ids: [agent.id, agent2.id], shared_block_ids: [block.id] });
  t.llm.enqueue({ text: 'later' });
  await ok('POST', `/v1/agents/${agent2.id}/messages/async`, { input: 'later' });
  // An MCP server row without connecting anywhere (creating one through the API would try to list its tools).
  await t.ctx.dbh.db.insert(mcpServers).values({
    id: `mcp_server-${crypto.randomUUID()}`,
    organizationId: orgId,
    serverName: 'm',
    serverType: 'streamable_http',
    serverUrl: 'http://127.0.0.1:9/mcp',
  });
}

describe('DELETE /v1/admin/orgs/{org_id}', () => {
  it("removes the organization's agents, blocks, tools, messages, runs, steps, passages, keys… and nothing else", async () => {
    const keep = await createOrgWithKey(t.app, ADMIN, 'keep');
    const doomed = await createOrgWithKey(t.app, ADMIN, 'doomed');
    t.llm.enqueue({ text: 'kept' });
    const kept = await callAs(t.app, keep.key, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini' });
    expect((await callAs(t.app, keep.key, 'POST', `/v1/agents/${kept.body.id}/messages`, { input: 'hi' })).status).toBe(200);
    await fillOrg(doomed.key, doomed.orgId);
    // Let the async run finish so its rows exist before the deletion.
    for (let i = 0; i < 100; i++) {
      const runs = await callAs(t.app, doomed.key, 'GET', '/v1/runs/?active=true');
      if (runs.body.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = await rowsByTable(doomed.orgId);
    const filled = Object.entries(before)
      .filter(([, n]) => n > 0)
      .map(([table]) => table);
    expect(filled).toEqual(
      expect.arrayContaining([
        'agents',
        'agent_blocks',
        'agent_tools',
        'agent_archives',
        'archives',
        'passages',
        'blocks',
        'tools',
        'messages',
        'runs',
        'steps',
        'conversations',
        'identities',
        'identity_agents',
        'identity_blocks',
        'groups',
        'group_agents',
        'group_blocks',
        'mcp_servers',
        'api_keys',
        'jobs',
      ]),
    );
    const keepBefore = await rowsByTable(keep.orgId);
    const defaultBefore = await rowsByTable(DEFAULT_ORG_ID);

    const res = await callAs(t.app, ADMIN, 'DELETE', `/v1/admin/orgs/${doomed.orgId}`);
    expect(res.status).toBe(200);
    const after = await rowsByTable(doomed.orgId);
    expect(
      Object.values(after).every((n) => n === 0),
      JSON.stringify(after),
    ).toBe(true);
    expect(await queryRows(t.ctx.dbh.db, sql`SELECT 1 FROM organizations WHERE id = ${doomed.orgId}`)).toEqual([]);
    expect(await queryRows(t.ctx.dbh.db, sql`SELECT 1 FROM run_events e LEFT JOIN runs r ON r.id = e.run_id WHERE r.id IS NULL`)).toEqual(
      [],
    );
    expect(await rowsByTable(keep.orgId)).toEqual(keepBefore);
    expect(await rowsByTable(DEFAULT_ORG_ID)).toEqual(defaultBefore);
    expect((await callAs(t.app, doomed.key, 'GET', '/v1/agents/')).status).toBe(401);
    expect((await callAs(t.app, keep.key, 'GET', `/v1/agents/${kept.body.id}`)).status).toBe(200);
  });
});
