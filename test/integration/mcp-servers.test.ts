import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-servers/http-server.js';
import { stdioServerCommand } from '../support/mcp-servers/stdio-command.js';

// Registered before the harness so that it closes after the app (after-hooks run in reverse).
let http: McpHttpServer;
beforeAll(async () => {
  http = await startMcpHttpServer({ requireToken: 'sekrit-token' });
});
afterAll(async () => http?.close());
// Local test servers (stdio command, HTTP on 127.0.0.1) need the operator's switches, off by default.
const t = useAgentHarness({ offline: true, env: { MNEMO_ALLOW_MCP_STDIO: '1', MNEMO_OUTBOUND_ALLOW: '127.0.0.1' } });

const toolNames = (tools: { name: string }[]) => tools.map((x) => x.name).sort();

describe('MCP servers API', () => {
  it('registers a stdio server, lists its tools as external_mcp tool rows and runs one', async () => {
    const cmd = await stdioServerCommand();
    const created = await call(t.app, 'POST', '/v1/mcp-servers/', {
      server_name: 'local-stdio',
      config: { mcp_server_type: 'stdio', command: cmd.command, args: cmd.args, env: { API_KEY: 'env-secret' } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ server_name: 'local-stdio', mcp_server_type: 'stdio', command: cmd.command, args: cmd.args });
    expect(created.body.id).toMatch(/^mcp_server-/);
    expect(JSON.stringify(created.body)).not.toContain('env-secret');

    const tools = await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`);
    expect(tools.status).toBe(200);
    expect(toolNames(tools.body)).toEqual(expect.arrayContaining(['add', 'echo', 'env']));
    const add = tools.body.find((x: { name: string }) => x.name === 'add');
    expect(add).toMatchObject({
      tool_type: 'external_mcp',
      metadata_: { mcp: { server_id: created.body.id, server_name: 'local-stdio' } },
    });
    expect(add.json_schema).toMatchObject({ name: 'add', parameters: { type: 'object', properties: { a: { type: 'number' } } } });

    const one = await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools/${add.id}`);
    expect(one.body.id).toBe(add.id);
    const ran = await call(t.app, 'POST', `/v1/mcp-servers/${created.body.id}/tools/${add.id}/run`, { args: { a: 2, b: 40 } });
    expect(ran.status).toBe(200);
    expect(ran.body).toMatchObject({ status: 'success', func_return: '42' });
    const envTool = tools.body.find((x: { name: string }) => x.name === 'env');
    const env = await call(t.app, 'POST', `/v1/mcp-servers/${created.body.id}/tools/${envTool.id}/run`, { args: { name: 'API_KEY' } });
    expect(env.body.func_return).toBe('env-secret');
    const failing = tools.body.find((x: { name: string }) => x.name === 'fail');
    const failed = await call(t.app, 'POST', `/v1/mcp-servers/${created.body.id}/tools/${failing.id}/run`, {});
    expect(failed.body.status).toBe('error');
    expect(failed.body.func_return).toContain('deliberate failure');

    const again = await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`);
    expect(again.body.find((x: { name: string }) => x.name === 'add').id).toBe(add.id);
  });

  it('registers a streamable HTTP server with an auth token that is stored but never echoed', async () => {
    const created = await call(t.app, 'POST', '/v1/mcp-servers/', {
      server_name: 'remote-http',
      config: {
        mcp_server_type: 'streamable_http',
        server_url: http.url,
        auth_token: 'sekrit-token',
        custom_headers: { 'X-Extra': 'hdr-secret' },
      },
    });
    expect(created.status).toBe(200);
    const text = JSON.stringify(created.body);
    expect(text).not.toContain('sekrit-token');
    expect(text).not.toContain('hdr-secret');
    expect(created.body).toMatchObject({ server_url: http.url, auth_token: '********', custom_headers: { 'X-Extra': '********' } });
    for (const r of [await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}`), await call(t.app, 'GET', '/v1/mcp-servers/')]) {
      expect(JSON.stringify(r.body)).not.toContain('sekrit-token');
    }

    const tools = await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`);
    expect(tools.status).toBe(200);
    // Same tool names as the stdio server: the second server's rows get a prefix instead of clobbering.
    const echo = tools.body.find((x: { metadata_: { mcp: { tool_name: string } } }) => x.metadata_.mcp.tool_name === 'echo');
    expect(echo.name).toBe('remote-http__echo');
    const ran = await call(t.app, 'POST', `/v1/mcp-servers/${created.body.id}/tools/${echo.id}/run`, { args: { text: 'over http' } });
    expect(ran.body).toMatchObject({ status: 'success', func_return: 'over http' });

    // Sending the mask back keeps the stored token; a wrong token breaks the connection (502).
    const kept = await call(t.app, 'PATCH', `/v1/mcp-servers/${created.body.id}`, {
      config: { server_url: http.url, auth_token: '********' },
    });
    expect(kept.status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`)).status).toBe(200);
    await call(t.app, 'PATCH', `/v1/mcp-servers/${created.body.id}`, { config: { server_url: http.url, auth_token: 'wrong' } });
    const denied = await call(t.app, 'GET', `/v1/mcp-servers/${created.body.id}/tools`);
    expect(denied.status).toBe(502);
    expect(denied.body.detail).toContain('remote-http');
  });

  it('refreshes: adds new tools and removes vanished ones', async () => {
    const cmd = await stdioServerCommand();
    const s = (
      await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'refresh-me', config: { command: cmd.command, args: cmd.args } })
    ).body;
    expect(s.mcp_server_type).toBe('stdio');
    await call(t.app, 'GET', `/v1/mcp-servers/${s.id}/tools`);
    // A stale row the server no longer lists, as after a server upgrade.
    const stale = await t.ctx.dbh.db.execute(
      `insert into tools (id, organization_id, name, tool_type, metadata) select 'tool-00000000-0000-4000-8000-0000000000aa', organization_id, 'gone_tool', 'external_mcp', jsonb_build_object('mcp', jsonb_build_object('server_id', '${s.id}', 'server_name', 'refresh-me', 'tool_name', 'gone_tool')) from mcp_servers where id = '${s.id}'` as never,
    );
    expect(stale).toBeTruthy();
    const res = await call(t.app, 'PATCH', `/v1/mcp-servers/${s.id}/refresh`);
    expect(res.status).toBe(200);
    expect(res.body.removed).toEqual(['gone_tool']);
    expect((await call(t.app, 'GET', '/v1/tools/tool-00000000-0000-4000-8000-0000000000aa')).status).toBe(404);
    expect((await call(t.app, 'PATCH', `/v1/mcp-servers/${s.id}/refresh?agent_id=agent-00000000-0000-4000-8000-000000000000`)).status).toBe(
      404,
    );
  });

  it('updates, deletes (204, with its tools) and validates', async () => {
    const s = (
      await call(t.app, 'POST', '/v1/mcp-servers/', {
        server_name: 'to-delete',
        config: { mcp_server_type: 'sse', server_url: http.sseUrl },
      })
    ).body;
    const renamed = await call(t.app, 'PATCH', `/v1/mcp-servers/${s.id}`, { server_name: 'renamed-server' });
    expect(renamed.body).toMatchObject({ server_name: 'renamed-server', mcp_server_type: 'sse', server_url: http.sseUrl });
    const dup = await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'renamed-server', config: { server_url: http.url } });
    expect(dup.status).toBe(409);
    const badUrl = await call(t.app, 'POST', '/v1/mcp-servers/', {
      server_name: 'bad',
      config: { mcp_server_type: 'streamable_http', server_url: 'ftp://x' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.detail).toContain('server_url');
    expect((await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'empty', config: {} })).status).toBe(400);
    expect((await call(t.app, 'POST', '/v1/mcp-servers/', { config: { command: 'x' } })).status).toBe(422);
    const del = await call(t.app, 'DELETE', `/v1/mcp-servers/${s.id}`);
    expect(del.status).toBe(204);
    expect((await call(t.app, 'GET', `/v1/mcp-servers/${s.id}`)).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/v1/mcp-servers/${s.id}`)).status).toBe(404);
    expect((await call(t.app, 'GET', '/v1/mcp-servers/not-an-id')).status).toBe(422);
  });

  it('answers 502 with a detail when the server cannot be reached', async () => {
    const s = (await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'down', config: { server_url: 'http://127.0.0.1:9/mcp' } }))
      .body;
    const res = await call(t.app, 'GET', `/v1/mcp-servers/${s.id}/tools`);
    expect(res.status).toBe(502);
    expect(res.body.detail).toContain('down');
  });
});
