// stdio MCP servers start commands on this machine: off unless the operator sets MNEMO_ALLOW_MCP_STDIO=1, never
// switched on by an imported agent file, and when on the child gets a minimal environment and does not run as root.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { insertMcpServer } from '../../src/resources/mcp-servers/mcp-servers.repo.js';
import { makeAgentFile } from '../support/agent-file-factory.js';
import { call, TEST_ENV } from '../support/http.js';
import { stdioServerCommand, type StdioCommand } from '../support/mcp-servers/stdio-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { ToolRow } from '../../src/db/rows.js';

const marker = join(tmpdir(), `mnemo-stdio-marker-${process.pid}-${Date.now()}`);
// If anything ever started this command, the marker file would exist.
const planted = { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] };
const SERVER_ENV = {
  MNEMO_API_KEY: 'server-api-key',
  DATABASE_URL: '',
  OPENAI_API_KEY: 'sk-provider-secret',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
};

let off: TestApp;
let on: TestApp;
let launch: StdioCommand;

beforeAll(async () => {
  launch = await stdioServerCommand();
  off = await createTestApp({ ...TEST_ENV }, { listen: true });
  on = await createTestApp({ ...TEST_ENV, ...SERVER_ENV, MNEMO_API_KEY: '', MNEMO_ALLOW_MCP_STDIO: '1' }, { listen: true });
});
afterAll(async () => {
  await off?.close();
  await on?.close();
  rmSync(marker, { force: true });
});

async function importFile(app: TestApp, content: unknown) {
  const form = new FormData();
  form.append('file', new Blob([JSON.stringify(content)], { type: 'application/json' }), 'agent.af');
  const res = await fetch(`${app.url}/v1/agents/import`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

function fileWithStdioServer(cmd: { command: string; args: string[] }) {
  const file = makeAgentFile({ name: 'planted' }) as any;
  file.mcp_servers = [
    { id: 'mcp_server-0', server_name: 'planted-stdio', server_type: 'stdio', server_url: null, stdio_config: { ...cmd, env: {} } },
  ];
  return file;
}

describe('without MNEMO_ALLOW_MCP_STDIO', () => {
  it('refuses to create a stdio server (403 naming the switch), explicit or inferred from a command', async () => {
    for (const config of [{ mcp_server_type: 'stdio', ...planted }, { ...planted }]) {
      const res = await call(off.app, 'POST', '/v1/mcp-servers/', { server_name: 'rootshell', config });
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain('MNEMO_ALLOW_MCP_STDIO=1');
    }
    expect((await call(off.app, 'GET', '/v1/mcp-servers/')).body).toEqual([]);
  });

  it('refuses to switch a remote server to stdio on update', async () => {
    const remote = await call(off.app, 'POST', '/v1/mcp-servers/', {
      server_name: 'remote',
      config: { server_url: 'http://93.184.216.34/mcp' },
    });
    expect(remote.status).toBe(200);
    const res = await call(off.app, 'PATCH', `/v1/mcp-servers/${remote.body.id}`, { config: { mcp_server_type: 'stdio', ...planted } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('MNEMO_ALLOW_MCP_STDIO=1');
    expect((await call(off.app, 'GET', `/v1/mcp-servers/${remote.body.id}`)).body.mcp_server_type).toBe('streamable_http');
  });

  it('starts nothing for a stored stdio server: tool listing, refresh and tool runs (also from the agent loop) are refused', async () => {
    const row = await insertMcpServer(off.ctx.dbh.db, {
      id: 'mcp_server-00000000-0000-4000-8000-0000000000aa',
      organizationId: DEFAULT_ORG_ID,
      serverName: 'stored-stdio',
      serverType: 'stdio',
      stdioConfig: planted,
    });
    for (const [method, path] of [
      ['GET', `/v1/mcp-servers/${row.id}/tools`],
      ['PATCH', `/v1/mcp-servers/${row.id}/refresh`],
    ] as const) {
      const res = await call(off.app, method, path);
      expect(res.status, path).toBe(403);
      expect(res.body.detail).toContain('MNEMO_ALLOW_MCP_STDIO=1');
    }
    const tool = {
      id: 'tool-x',
      name: 'planted_tool',
      toolType: 'external_mcp',
      organizationId: DEFAULT_ORG_ID,
      metadata: { mcp: { server_id: row.id, server_name: 'stored-stdio', tool_name: 'x' } },
    } as unknown as ToolRow;
    const result = await off.ctx.toolExecutor.executeExternalTool(tool, {});
    expect(result.status).toBe('error');
    expect(JSON.stringify(result.funcReturn)).toContain('MNEMO_ALLOW_MCP_STDIO=1');
    expect(existsSync(marker)).toBe(false);
  });

  it('imports an agent file with a stdio server as a disabled server and says so in the answer', async () => {
    const res = await importFile(off, fileWithStdioServer(planted));
    expect(res.status).toBe(200);
    expect(res.body.agent_ids).toHaveLength(1);
    expect(res.body.notes.join(' ')).toMatch(/planted-stdio.*imported disabled/);
    const server = (await call(off.app, 'GET', '/v1/mcp-servers/')).body.find((s: any) => s.server_name === 'planted-stdio');
    expect(server).toMatchObject({ mcp_server_type: 'stdio', disabled: true });
    expect((await call(off.app, 'GET', `/v1/mcp-servers/${server.id}/tools`)).status).toBe(403);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('with MNEMO_ALLOW_MCP_STDIO=1', () => {
  it('an imported stdio server stays disabled (409) until a caller saves its config again', async () => {
    const res = await importFile(on, fileWithStdioServer(launch));
    expect(res.body.notes).toHaveLength(1);
    const server = (await call(on.app, 'GET', '/v1/mcp-servers/')).body.find((s: any) => s.server_name === 'planted-stdio');
    const refused = await call(on.app, 'GET', `/v1/mcp-servers/${server.id}/tools`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('disabled');
    expect((await call(on.app, 'PATCH', `/v1/mcp-servers/${server.id}`, { server_name: 'renamed-planted' })).body.disabled).toBe(true);
    const saved = await call(on.app, 'PATCH', `/v1/mcp-servers/${server.id}`, { config: { command: launch.command, args: launch.args } });
    expect(saved.status).toBe(200);
    expect(saved.body.disabled).toBeUndefined();
    expect((await call(on.app, 'GET', `/v1/mcp-servers/${server.id}/tools`)).status).toBe(200);
  });

  it('runs the child as an unprivileged user with only PATH, LANG, a fresh HOME and its configured env', async () => {
    process.env.OPENAI_API_KEY = 'sk-from-process-env';
    try {
      const created = await call(on.app, 'POST', '/v1/mcp-servers/', { server_name: 'demo', config: { ...launch, env: { GIVEN: 'yes' } } });
      expect(created.status).toBe(200);
      const tools = (await call(on.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`)).body as { id: string; metadata_: any }[];
      const run = async (name: string, args: Record<string, unknown> = {}) => {
        const tool = tools.find((x) => x.metadata_.mcp.tool_name === name)!;
        return (await call(on.app, 'POST', `/v1/mcp-servers/${created.body.id}/tools/${tool.id}/run`, { args })).body.func_return as string;
      };
      const pid = Number(await run('pid'));
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const [real, effective] = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status)!.slice(1).map(Number);
      if (process.getuid?.() === 0) expect([real, effective]).toEqual([65534, 65534]);
      expect(effective).not.toBe(0);
      for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MNEMO_API_KEY', 'DATABASE_URL', 'USER', 'LOGNAME', 'SHELL']) {
        expect(await run('env', { name }), name).toBe('<unset>');
      }
      expect(await run('env', { name: 'GIVEN' })).toBe('yes');
      const home = await run('env', { name: 'HOME' });
      expect(home).toContain('mnemo-mcp-home-');
      expect(home).not.toBe(process.env.HOME);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });
});
