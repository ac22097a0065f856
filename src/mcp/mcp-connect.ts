// Opens one MCP client session over the transport a config asks for, with a bounded connect time.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { errorText, McpConnectionError, McpTimeoutError } from './mcp-errors.js';
import { remoteHeaders, type McpServerConfig, type StdioMcpConfig } from './types.js';

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

const STDERR_TAIL_CHARS = 2000;

export async function openMcpSession(
  config: McpServerConfig,
  opts: { timeoutMs: number; logger: McpLogger },
): Promise<McpSession> {
  const stderr = { tail: '' };
  const transport = createTransport(config, stderr, opts.logger);
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

function createTransport(config: McpServerConfig, stderr: { tail: string }, logger: McpLogger): Transport {
  if (config.mcp_server_type === 'stdio') return createStdioTransport(config, stderr, logger);
  const url = new URL(config.server_url);
  const requestInit = { headers: remoteHeaders(config) };
  if (config.mcp_server_type === 'sse') return new SSEClientTransport(url, { requestInit });
  return new StreamableHTTPClientTransport(url, { requestInit });
}

/**
 * The child gets a minimal environment (PATH, HOME, USER, …) plus the configured env, never our whole
 * process.env: API keys and database URLs of this server must not leak into third-party MCP servers.
 */
function createStdioTransport(config: StdioMcpConfig, stderr: { tail: string }, logger: McpLogger): Transport {
  const env = { ...getDefaultEnvironment(), ...config.env };
  const transport = new StdioClientTransport({ command: config.command, args: config.args, env, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => {
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

export function isRequestTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === -32001;
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
