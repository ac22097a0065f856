import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHttpServer, type McpHttpServer } from '../../test/support/mcp-servers/http-server.js';
import { createOutboundPolicy } from '../net/outbound-policy.js';
import { createMcpManager, type McpManager } from './manager.js';
import { McpConnectionError, McpTimeoutError } from './mcp-errors.js';
import type { McpServerConfigInput } from './types.js';

let server: McpHttpServer;
let manager: McpManager;
// The test servers listen on 127.0.0.1, which the outbound policy refuses unless the operator allows it.
const allowLocal = { outbound: createOutboundPolicy('127.0.0.1') };

beforeAll(async () => {
  server = await startMcpHttpServer();
  manager = createMcpManager({ connectTimeoutMs: 2000, callTimeoutMs: 2000, maxResultChars: 1000, launch: allowLocal });
});
afterAll(async () => {
  await manager.closeAll();
  await server.close();
});

const remote = (type: 'sse' | 'streamable_http', url: string, extra: object = {}): McpServerConfigInput => ({
  mcp_server_type: type,
  server_name: `demo-${type}`,
  server_url: url,
  ...extra,
});

describe.each([
  { type: 'streamable_http' as const, url: () => server.url, count: () => server.sessions.streamable },
  { type: 'sse' as const, url: () => server.sseUrl, count: () => server.sessions.sse },
])('MCP manager over $type', ({ type, url, count }) => {
  it('lists tools and calls one over a single server-side session', async () => {
    const key = `list-${type}`;
    const before = count();
    const tools = await manager.listTools(key, remote(type, url()));
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(await manager.callTool(key, remote(type, url()), 'echo', { text: 'hi' })).toEqual({
      status: 'success',
      text: 'hi',
      isError: false,
    });
    expect((await manager.callTool(key, remote(type, url()), 'add', { a: 1, b: 2 })).text).toBe('3');
    expect(count() - before).toBe(1);
  });

  it('shares one connection attempt between concurrent first calls, and disconnect drops it', async () => {
    const key = `concurrent-${type}`;
    const before = count();
    const calls = [1, 2, 3].map((n) => manager.callTool(key, remote(type, url()), 'add', { a: n, b: 0 }));
    expect((await Promise.all(calls)).map((r) => r.text)).toEqual(['1', '2', '3']);
    expect(count() - before).toBe(1);
    await manager.disconnect(key);
    await manager.listTools(key, remote(type, url()));
    expect(count() - before).toBe(2);
  });

  it('reconnects once after the server restarts on the same port', async () => {
    const key = `restart-${type}`;
    expect((await manager.callTool(key, remote(type, url()), 'add', { a: 1, b: 1 })).text).toBe('2');
    const before = count();
    await server.restart();
    expect((await manager.callTool(key, remote(type, url()), 'add', { a: 2, b: 2 })).text).toBe('4');
    expect(count() - before).toBe(1);
  });

  it('returns an error result for an unknown tool', async () => {
    const result = await manager.callTool(`unknown-${type}`, remote(type, url()), 'nope');
    expect(result.status).toBe('error');
    expect(result.text).toContain('nope');
  });
});

describe('MCP manager remote auth and failures', () => {
  let secured: McpHttpServer;
  beforeAll(async () => {
    secured = await startMcpHttpServer({ requireToken: 'tok-123' });
  });
  afterAll(() => secured.close());

  it.each(['streamable_http', 'sse'] as const)('%s: refuses without the token and accepts it', async (type) => {
    const url = type === 'sse' ? secured.sseUrl : secured.url;
    const missing = manager.listTools(`auth-none-${type}`, remote(type, url));
    await expect(missing).rejects.toBeInstanceOf(McpConnectionError);
    await expect(missing).rejects.toThrow(`MCP server 'demo-${type}'`);
    const bare = await manager.callTool(`auth-ok-${type}`, remote(type, url, { auth_token: 'tok-123' }), 'add', { a: 1, b: 1 });
    expect(bare.text).toBe('2');
    const schemed = remote(type, url, { auth_header: 'Authorization', auth_token: 'Bearer tok-123' });
    expect((await manager.listTools(`auth-scheme-${type}`, schemed)).length).toBeGreaterThan(0);
  });

  it('sends custom headers (token in a custom header is passed raw)', async () => {
    const cfg = remote('streamable_http', secured.url, { custom_headers: { Authorization: 'Bearer tok-123' } });
    expect((await manager.callTool('custom-headers', cfg, 'echo', { text: 'ok' })).text).toBe('ok');
  });

  it('fails fast with McpConnectionError when nothing listens', async () => {
    const gone = await startMcpHttpServer();
    await gone.close();
    const started = Date.now();
    await expect(manager.listTools('refused', remote('streamable_http', gone.url))).rejects.toBeInstanceOf(McpConnectionError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up connecting to a server that never answers with McpTimeoutError', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
    const quick = createMcpManager({ connectTimeoutMs: 300, callTimeoutMs: 300, maxResultChars: 100, launch: allowLocal });
    try {
      const call = quick.listTools('silent', remote('streamable_http', url));
      await expect(call).rejects.toBeInstanceOf(McpTimeoutError);
      await expect(call).rejects.toThrow("MCP server 'demo-streamable_http': connecting timed out after 300 ms");
    } finally {
      await quick.closeAll();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
