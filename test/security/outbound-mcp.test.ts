// MCP server_url goes through the outbound policy: loopback, metadata and names resolving to loopback are refused on
// create, update and connect; an allowed server cannot redirect the connection to a target that is not allowed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { insertMcpServer } from '../../src/resources/mcp-servers/mcp-servers.repo.js';
import { call } from '../support/http.js';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-servers/http-server.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let mcp: McpHttpServer;
let redirector: Server;
let redirectorPort = 0;
let redirected = 0;
let t: TestApp;

beforeAll(async () => {
  mcp = await startMcpHttpServer();
  // Allowed by the operator, but answers every request with a redirect to the MCP server, which is not allowed.
  redirector = createServer((_req, res) => {
    redirected++;
    res.writeHead(307, { location: `${mcp.url}` }).end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectorPort = (redirector.address() as AddressInfo).port;
  t = await createTestApp({ MNEMO_OUTBOUND_ALLOW: `127.0.0.1:${redirectorPort}` });
});
afterAll(async () => {
  await t?.close();
  await mcp?.close();
  await new Promise((r) => redirector?.close(r));
});

const create = (name: string, url: string, type = 'streamable_http') =>
  call(t.app, 'POST', '/v1/mcp-servers/', { server_name: name, config: { mcp_server_type: type, server_url: url } });

describe('MCP server_url and the outbound policy', () => {
  it('refuses a server on 127.0.0.1 that the allow-list does not name, saying how to allow it', async () => {
    for (const type of ['streamable_http', 'sse']) {
      const res = await create(`local-${type}`, type === 'sse' ? mcp.sseUrl : mcp.url, type);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('outbound URL policy');
      expect(res.body.detail).toContain(`MNEMO_OUTBOUND_ALLOW=127.0.0.1:${mcp.port}`);
    }
    expect(mcp.sessions).toEqual({ streamable: 0, sse: 0 });
    expect((await call(t.app, 'GET', '/v1/mcp-servers/')).body).toEqual([]);
  });

  it('refuses the cloud metadata address, other private ranges and localhost', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/mcp',
      'http://[::1]:8080/mcp',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
    ]) {
      const res = await create('private', url);
      expect(res.status, url).toBe(400);
      expect(res.body.detail, url).toContain('outbound URL policy');
    }
    const local = await create('by-name', `http://localhost:${mcp.port}/mcp`);
    expect(local.status).toBe(400);
    expect(local.body.detail).toContain('loopback');
    expect(mcp.sessions.streamable).toBe(0);
  });

  it('refuses to switch a server to a loopback URL on update', async () => {
    const ok = await create('public', 'http://93.184.216.34/mcp');
    expect(ok.status).toBe(200);
    const res = await call(t.app, 'PATCH', `/v1/mcp-servers/${ok.body.id}`, { config: { server_url: mcp.url } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('outbound URL policy');
    expect((await call(t.app, 'GET', `/v1/mcp-servers/${ok.body.id}`)).body.server_url).toBe('http://93.184.216.34/mcp');
  });

  it('checks again at connect time (a stored row whose URL is not allowed is never contacted)', async () => {
    const row = await insertMcpServer(t.ctx.dbh.db, {
      id: 'mcp_server-00000000-0000-4000-8000-000000000001',
      organizationId: DEFAULT_ORG_ID,
      serverName: 'stored',
      serverType: 'streamable_http',
      serverUrl: mcp.url,
    });
    const res = await call(t.app, 'GET', `/v1/mcp-servers/${row.id}/tools`);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('outbound URL policy');
    expect((await call(t.app, 'PATCH', `/v1/mcp-servers/${row.id}/refresh`)).status).toBe(400);
    expect(mcp.sessions.streamable).toBe(0);
  });

  it('an allowed server that redirects to a target not on the list does not get the connection there', async () => {
    const res = await create('redirecting', `http://127.0.0.1:${redirectorPort}/mcp`);
    expect(res.status).toBe(200);
    const tools = await call(t.app, 'GET', `/v1/mcp-servers/${res.body.id}/tools`);
    expect(tools.status).toBe(502);
    expect(redirected).toBeGreaterThan(0);
    expect(mcp.sessions.streamable).toBe(0);
  });
});
