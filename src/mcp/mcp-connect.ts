// Opens one MCP client session over the transport a config asks for, with a bounded connect time. The MCP SDK is
// imported only here and by what this imports; the manager loads this module with the first session.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { GuardedFetch } from '../net/guarded-fetch.js';
import { checkOutboundUrl, type OutboundPolicy } from '../net/outbound-policy.js';
import { errorText, isRequestTimeout, McpConnectionError, McpTimeoutError } from './mcp-errors.js';
import { createStdioTransport, type StdioUser } from './stdio-transport.js';
import { assertStdioStartable, remoteHeaders, type McpServerConfig, type StdioMcpConfig } from './types.js';

export { McpError } from '@modelcontextprotocol/sdk/types.js';

export type McpLogger = {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
};

export type McpSession = {
  client: Client;
  /** True once the transport reported closing (child exited, stream dropped, or we closed it). */
  isClosed(): boolean;
  close(): Promise<void>;
};

/** What the operator allows: local processes (stdio) and which remote URLs (the outbound policy). */
export type McpLaunchPolicy = {
  stdio?: { allowed: boolean; baseEnv?: Record<string, string>; runAs?: StdioUser };
  outbound: OutboundPolicy;
  /** The policy-checking fetch every remote transport uses (each connection and redirect hop is checked). */
  fetch: GuardedFetch;
};

export type OpenOptions = { timeoutMs: number; logger: McpLogger; launch: McpLaunchPolicy };

const STDERR_TAIL_CHARS = 2000;

export async function openMcpSession(config: McpServerConfig, opts: OpenOptions): Promise<McpSession> {
  if (config.mcp_server_type === 'stdio') assertStdioStartable(config, opts.launch.stdio?.allowed ?? false);
  // Checked here too (the fetch checks again) so a refused URL is a clear 400, not a wrapped connection error.
  else await checkOutboundUrl(config.server_url, opts.launch.outbound);
  const stderr = { tail: '' };
  const transport = createTransport(config, stderr, opts);
  const client = new Client({ name: 'mnemo', version: '0.1.0' });
  let closed = false;
  client.onclose = () => {
    closed = true;
  };
  client.onerror = (error) => opts.logger.debug({ server: config.server_name, err: errorText(error) }, 'mcp transport error');
  const close = async () => {
    closed = true;
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  };
  try {
    await withTimeout(client.connect(transport, { timeout: opts.timeoutMs }), opts.timeoutMs);
  } catch (error) {
    await close();
    throw connectFailure(config.server_name, error, opts.timeoutMs, stderr.tail);
  }
  return { client, isClosed: () => closed, close };
}

function createTransport(config: McpServerConfig, stderr: { tail: string }, opts: OpenOptions): Transport {
  if (config.mcp_server_type === 'stdio') return stdioTransport(config, stderr, opts);
  const url = new URL(config.server_url);
  const requestInit = { headers: remoteHeaders(config) };
  const fetch = opts.launch.fetch;
  if (config.mcp_server_type === 'sse') return new SSEClientTransport(url, { requestInit, fetch });
  return new StreamableHTTPClientTransport(url, { requestInit, fetch });
}

/**
 * The child gets PATH, LANG, a fresh HOME and the configured env, never our process.env: API keys and database URLs
 * of this server must not leak into third-party MCP servers. As root, it runs as the configured unprivileged user.
 */
function stdioTransport(config: StdioMcpConfig, stderr: { tail: string }, opts: OpenOptions): Transport {
  const { baseEnv, runAs } = opts.launch.stdio ?? {};
  const transport = createStdioTransport({ command: config.command, args: config.args, env: config.env, baseEnv, runAs });
  const logger = opts.logger;
  transport.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stderr.tail = (stderr.tail + text).slice(-STDERR_TAIL_CHARS);
    logger.debug({ server: config.server_name, stderr: text.trimEnd() }, 'mcp server stderr');
  });
  return transport;
}

function connectFailure(serverName: string, error: unknown, timeoutMs: number, stderrTail: string): Error {
  if (error instanceof ConnectTimeout || isRequestTimeout(error)) {
    return new McpTimeoutError(serverName, 'connect', timeoutMs, 'connecting');
  }
  const tail = stderrTail.trim();
  const reason = tail ? `${errorText(error)} (stderr: ${tail.slice(-500)})` : errorText(error);
  return new McpConnectionError(serverName, reason, error);
}

class ConnectTimeout extends Error {}

/** The SDK's own timeout covers only the initialize request, not spawning or opening the SSE stream. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
