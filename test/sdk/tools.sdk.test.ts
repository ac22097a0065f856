import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { stdioServerCommand } from '../support/mcp-servers/stdio-command.js';

// The stdio test server needs the operator's switch, off by default.
const t = useAgentHarness({ offline: true, sdk: true, env: { MNEMO_ALLOW_MCP_STDIO: '1' } });

const schema = (name: string) => ({
  name,
  description: `the ${name} tool`,
  parameters: { type: 'object', properties: { text: { type: 'string', description: 'text' } }, required: ['text'] },
});
const source = (name: string) => `export function ${name}(text) { return text.toUpperCase(); }`;

describe('tools through the SDK', () => {
  it('creates, retrieves, updates, upserts, lists and deletes tools', async () => {
    const tool = await t.client.tools.create({
      source_code: source('shout'),
      source_type: 'javascript',
      json_schema: schema('shout'),
      tags: ['sdk'],
    });
    expect(tool).toMatchObject({ name: 'shout', tool_type: 'custom', tags: ['sdk'] });
    expect((await t.client.tools.retrieve(tool.id)).name).toBe('shout');
    const updated = await t.client.tools.update(tool.id, { description: 'louder', return_char_limit: 500 });
    expect(updated).toMatchObject({ description: 'louder', return_char_limit: 500 });
    const upserted = await t.client.tools.upsert({
      source_code: source('shout'),
      source_type: 'javascript',
      json_schema: schema('shout'),
      tags: ['again'],
    });
    expect(upserted.id).toBe(tool.id);
    for (let i = 0; i < 3; i++)
      await t.client.tools.create({
        source_code: source(`sdk_page_${i}`),
        source_type: 'javascript',
        json_schema: schema(`sdk_page_${i}`),
      });
    const names: string[] = [];
    for await (const x of t.client.tools.list({ search: 'sdk_page_', limit: 2 })) names.push(x.name!);
    expect(names.sort()).toEqual(['sdk_page_0', 'sdk_page_1', 'sdk_page_2']);
    await t.client.tools.delete(tool.id);
    await expect(t.client.tools.retrieve(tool.id)).rejects.toMatchObject({ status: 404 });
  });

  it('attaches tools to an agent, lists them and toggles approval', async () => {
    const tool = await t.client.tools.create({ source_code: source('whisper'), source_type: 'javascript', json_schema: schema('whisper') });
    const agent = await t.client.agents.create({ name: 'sdk_tools_agent', model: 'openai/gpt-4o-mini', include_base_tools: false });
    await t.client.agents.tools.attach(tool.id, { agent_id: agent.id });
    const listed: string[] = [];
    for await (const x of t.client.agents.tools.list(agent.id)) listed.push(x.name!);
    expect(listed).toEqual(['whisper']);
    const state = await t.client.agents.tools.updateApproval('whisper', { agent_id: agent.id, body_requires_approval: true });
    expect(state?.tool_rules).toContainEqual(expect.objectContaining({ type: 'requires_approval', tool_name: 'whisper' }));
    const run = await t.client.agents.tools.run('whisper', { agent_id: agent.id, args: { text: 'quiet' } });
    expect(run).toMatchObject({ status: 'success', func_return: 'QUIET' });
  });

  it('registers an MCP server and lists its tools', async () => {
    const cmd = await stdioServerCommand();
    const server = await t.client.mcpServers.create({
      server_name: 'sdk-stdio',
      config: { mcp_server_type: 'stdio', command: cmd.command, args: cmd.args },
    });
    expect(server).toMatchObject({ server_name: 'sdk-stdio', mcp_server_type: 'stdio' });
    expect((await t.client.mcpServers.list()).map((s) => s.id)).toContain(server.id);
    const tools = await t.client.mcpServers.tools.list(server.id!);
    expect(tools.map((x) => x.name)).toContain('echo');
    const echo = tools.find((x) => x.name === 'echo')!;
    const ran = await t.client.mcpServers.tools.run(echo.id, { mcp_server_id: server.id!, args: { text: 'sdk' } });
    expect(ran).toMatchObject({ status: 'success', func_return: 'sdk' });
    await t.client.mcpServers.delete(server.id!);
  });
});
