import type { McpServerConfigInput } from '../../mcp/types.js';
import type { McpServer } from './mcp-servers.schemas.js';
import type { McpServerRow } from '../../db/rows.js';

/** `disabled`: imported with an agent file and not started until a caller saves its config again. */
type StdioConfig = { command: string; args: string[]; env?: Record<string, string> | null; disabled?: boolean };

/** What the API shows instead of a stored secret; sending it back on update keeps the stored value. */
export const SECRET_MASK = '********';

function maskValues(map: Record<string, string> | null | undefined): Record<string, string> | null {
  if (!map) return null;
  return Object.fromEntries(Object.keys(map).map((k) => [k, SECRET_MASK]));
}

export function stdioConfigOf(row: McpServerRow): StdioConfig {
  const c = (row.stdioConfig ?? {}) as Partial<StdioConfig>;
  return { command: c.command ?? '', args: c.args ?? [], env: c.env ?? null, ...(c.disabled === true ? { disabled: true } : {}) };
}

export function toMcpServer(row: McpServerRow): McpServer {
  const base = { id: row.id, server_name: row.serverName, mcp_server_type: row.serverType as McpServer['mcp_server_type'] };
  if (row.serverType === 'stdio') {
    const c = stdioConfigOf(row);
    return { ...base, command: c.command, args: c.args, env: maskValues(c.env), ...(c.disabled ? { disabled: true } : {}) };
  }
  return {
    ...base,
    server_url: row.serverUrl ?? '',
    auth_header: row.authHeader,
    auth_token: row.authToken ? SECRET_MASK : null,
    custom_headers: maskValues(row.customHeaders),
  };
}

/** The config the MCP manager connects with (real secrets, never sent to clients). */
export function toManagerConfig(row: McpServerRow): McpServerConfigInput {
  if (row.serverType === 'stdio') {
    const c = stdioConfigOf(row);
    const disabled = c.disabled ? { disabled: true } : {};
    return {
      mcp_server_type: 'stdio',
      server_name: row.serverName,
      command: c.command,
      args: c.args,
      ...(c.env ? { env: c.env } : {}),
      ...disabled,
    };
  }
  return {
    mcp_server_type: row.serverType as 'sse' | 'streamable_http',
    server_name: row.serverName,
    server_url: row.serverUrl ?? '',
    ...(row.authHeader ? { auth_header: row.authHeader } : {}),
    ...(row.authToken ? { auth_token: row.authToken } : {}),
    ...(row.customHeaders ? { custom_headers: row.customHeaders } : {}),
  };
}
