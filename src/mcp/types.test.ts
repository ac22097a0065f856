import { describe, expect, it } from 'vitest';
import { McpServerConfig, remoteHeaders, type RemoteMcpConfig } from './types.js';

const remote = (extra: object): RemoteMcpConfig =>
  McpServerConfig.parse({ mcp_server_type: 'sse', server_name: 's', server_url: 'http://127.0.0.1:1/sse', ...extra }) as RemoteMcpConfig;

describe('MCP server config', () => {
  it('defaults stdio args to an empty list and auth_header to Authorization', () => {
    expect(McpServerConfig.parse({ mcp_server_type: 'stdio', server_name: 's', command: 'node' })).toMatchObject({ args: [] });
    expect(remote({}).auth_header).toBe('Authorization');
  });

  it('rejects an unknown transport and a non-http URL', () => {
    expect(McpServerConfig.safeParse({ mcp_server_type: 'ws', server_name: 's' }).success).toBe(false);
    expect(McpServerConfig.safeParse({ mcp_server_type: 'sse', server_name: 's', server_url: 'file:///x' }).success).toBe(false);
  });

  it('prefixes a bare token with Bearer and keeps one that has a scheme', () => {
    expect(remoteHeaders(remote({ auth_token: 'abc' }))).toEqual({ Authorization: 'Bearer abc' });
    expect(remoteHeaders(remote({ auth_token: 'Basic dXNlcg==' }))).toEqual({ Authorization: 'Basic dXNlcg==' });
  });

  it('sends the raw token in a custom header, alongside custom headers', () => {
    const headers = remoteHeaders(remote({ auth_header: 'X-Api-Key', auth_token: 'k1', custom_headers: { 'X-Org': 'o' } }));
    expect(headers).toEqual({ 'X-Org': 'o', 'X-Api-Key': 'k1' });
  });

  it('sends no auth header without a token', () => {
    expect(remoteHeaders(remote({ auth_token: '  ' }))).toEqual({});
  });
});
