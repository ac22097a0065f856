// MCP server configs as Letta shapes them, plus what the manager hands back for tools and calls.
import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors.js';

const ServerName = z.string().trim().min(1, 'server_name must not be empty');

export const StdioMcpConfig = z.object({
  mcp_server_type: z.literal('stdio'),
  server_name: ServerName,
  command: z.string().trim().min(1, 'command must not be empty'),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  /** Set on servers that came in with an agent file: never started until someone re-saves the config. */
  disabled: z.boolean().optional(),
});
export type StdioMcpConfig = z.infer<typeof StdioMcpConfig>;

const STDIO_SWITCH = 'MNEMO_ALLOW_MCP_STDIO=1';

export function stdioForbidden(): ForbiddenError {
  return new ForbiddenError(
    `stdio MCP servers run a command on this machine and are off by default; the operator can allow them with ${STDIO_SWITCH}`,
  );
}

/** Throws unless this stdio server may start a process now. */
export function assertStdioStartable(config: StdioMcpConfig, allowed: boolean): void {
  if (!allowed) throw stdioForbidden();
  if (config.disabled) {
    throw new ConflictError(
      `MCP server '${config.server_name}' is disabled: it came from an imported agent file. Review its command and save ` +
        'its config again (PATCH /v1/mcp-servers/{id} with config.command) to enable it',
    );
  }
}

const remoteFields = {
  server_name: ServerName,
  server_url: z.url({ protocol: /^https?$/, error: 'server_url must be an http(s) URL' }),
  auth_header: z.string().trim().min(1).default('Authorization'),
  auth_token: z.string().optional(),
  custom_headers: z.record(z.string(), z.string()).optional(),
};

const SseMcpConfig = z.object({ mcp_server_type: z.literal('sse'), ...remoteFields });
type SseMcpConfig = z.infer<typeof SseMcpConfig>;

const StreamableHttpMcpConfig = z.object({
  mcp_server_type: z.literal('streamable_http'),
  ...remoteFields,
});
type StreamableHttpMcpConfig = z.infer<typeof StreamableHttpMcpConfig>;

export const McpServerConfig = z.discriminatedUnion('mcp_server_type', [StdioMcpConfig, SseMcpConfig, StreamableHttpMcpConfig]);
export type McpServerConfig = z.infer<typeof McpServerConfig>;
/** What callers may pass before defaults are applied (e.g. straight from a DB row). */
export type McpServerConfigInput = z.input<typeof McpServerConfig>;
export type RemoteMcpConfig = SseMcpConfig | StreamableHttpMcpConfig;

export const McpToolInfo = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
});
export type McpToolInfo = z.infer<typeof McpToolInfo>;

export const McpCallResult = z.object({
  status: z.enum(['success', 'error']),
  text: z.string(),
  isError: z.boolean(),
});
export type McpCallResult = z.infer<typeof McpCallResult>;

/** An OpenAI function definition derived from an MCP tool. */
export const McpFunctionSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
export type McpFunctionSchema = z.infer<typeof McpFunctionSchema>;

/**
 * Headers for a remote server. The token gets a `Bearer ` prefix only when it is bound for the
 * Authorization header and carries no scheme of its own; custom API-key headers get the raw value.
 */
export function remoteHeaders(config: RemoteMcpConfig): Record<string, string> {
  const headers: Record<string, string> = { ...config.custom_headers };
  const token = config.auth_token?.trim();
  if (token) {
    const isAuthorization = config.auth_header.toLowerCase() === 'authorization';
    const hasScheme = /^\S+\s+\S/.test(token);
    headers[config.auth_header] = isAuthorization && !hasScheme ? `Bearer ${token}` : token;
  }
  return headers;
}
