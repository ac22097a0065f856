// Agent-file import and export across organizations: ids and names inside a file never bind to another
// organization's rows (blocks, tools, MCP servers, agents), and another organization's agent cannot be exported.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTool, fileBlock, greetTool, makeAgentFile } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { snapshotOf } from './support/snapshot.js';
import { ADMIN_KEY, as, createTenant, type Tenant } from './support/tenants.js';
import { buildWorld, type World } from './support/tenant-world.js';

const h = useAgentHarness({
  listen: true,
  env: {
    MNEMO_API_KEY: ADMIN_KEY,
    MNEMO_OUTBOUND_ALLOW: '127.0.0.1',
    MNEMO_SECRET_KEY: 'cross-tenant-secret-key-0123456789abcdef',
    MNEMO_RATE_LIMIT_PER_MINUTE: '0',
  },
});
let A: World;
let B: Tenant;

async function importAs(who: Tenant, content: unknown) {
  const form = new FormData();
  form.append('file', new Blob([JSON.stringify(content)], { type: 'application/json' }), 'agent.af');
  const res = await fetch(`${h.url}/v1/agents/import`, { method: 'POST', body: form, headers: who.headers });
  return { status: res.status, body: (await res.json()) as any };
}

/** A file whose ids are A's real ids and whose tool and MCP server carry A's names. */
function fileAimingAt(a: World) {
  const file = makeAgentFile({ name: 'intruder' }) as any;
  const agent = file.agents[0];
  const tool = {
    ...greetTool(a.ids.tool),
    name: a.toolName,
    json_schema: { ...(greetTool().json_schema as object), name: a.toolName },
    metadata_: { mcp: { server_id: a.ids.mcp_server, server_name: 'x', tool_name: 'y' } },
  };
  file.tools = [tool, builtinTool('tool-1', 'conversation_search'), builtinTool('tool-2', 'memory_replace', 'letta_memory_core')];
  file.blocks = [fileBlock(a.ids.block, 'persona', 'I am the intruder.'), fileBlock('block-1', 'human', 'x')];
  file.mcp_servers = [
    { id: a.ids.mcp_server, server_name: `mcp_of_a`, server_type: 'streamable_http', server_url: 'http://127.0.0.1:9/evil' },
  ];
  Object.assign(agent, { id: a.ids.agent, tool_ids: [a.ids.tool, 'tool-1', 'tool-2'], block_ids: [a.ids.block, 'block-1'] });
  for (const m of agent.messages) m.agent_id = a.ids.agent;
  file.groups = [
    {
      id: a.ids.group,
      agent_ids: [a.ids.agent],
      description: 'g',
      manager_config: { manager_type: 'round_robin' },
      shared_block_ids: [a.ids.block],
    },
  ];
  return file;
}

beforeAll(async () => {
  A = await buildWorld(h, await createTenant(h, 'A'));
  B = await createTenant(h, 'B');
}, 120_000);

describe('agent files across organizations', () => {
  it("imports a file naming A's ids and names as new rows of B, leaving A unchanged", async () => {
    const before = await snapshotOf(h, A);
    const res = await importAs(B, fileAimingAt(A));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [id] = res.body.agent_ids as string[];
    expect(id).not.toBe(A.ids.agent);
    const agent = (await as(h, B, 'GET', `/v1/agents/${id}`)).body;
    const text = JSON.stringify(agent);
    for (const own of [A.ids.block, A.ids.tool, A.ids.mcp_server, A.ids.agent, A.ids.group, A.secret]) expect(text).not.toContain(own);
    const mcp = (await as(h, B, 'GET', '/v1/mcp-servers/')).body as any[];
    expect(mcp.map((s) => s.id)).not.toContain(A.ids.mcp_server);
    expect(await snapshotOf(h, A)).toEqual(before);
  });

  it("answers 404 to exporting A's agent or A's conversation", async () => {
    const aAgent = await as(h, B, 'GET', `/v1/agents/${A.ids.agent}/export`);
    expect(aAgent.status).toBe(404);
    const own = (await importAs(B, makeAgentFile({ name: 'own' }))).body.agent_ids[0];
    const conv = await as(h, B, 'POST', `/v1/agents/${own}/export`, { conversation_id: A.ids.conversation });
    expect(conv.status).toBe(404);
    expect(conv.text).not.toContain(A.secret);
  });
});
