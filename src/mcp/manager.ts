// Keeps one MCP client session per server id, reconnecting when the config changes or the session dies.
// The MCP SDK (mcp-connect.ts and below) is loaded with the first session, not at start.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { BadRequestError } from '../errors.js';
import { createGuardedFetch } from '../net/guarded-fetch.js';
import { createOutboundPolicy } from '../net/outbound-policy.js';
import type { McpLaunchPolicy, McpLogger, McpSession } from './mcp-connect.js';
import { errorText, isRequestTimeout, McpConnectionError, McpTimeoutError } from './mcp-errors.js';
import { formatToolResult, truncateText, type RawToolResult } from './mcp-result.js';
import { McpServerConfig, type McpCallResult, type McpServerConfigInput, type McpToolInfo } from './types.js';

export type McpManagerOptions = {
  logger?: McpLogger;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  maxResultChars: number;
  /** Default: no stdio servers, and the outbound policy with an empty allow-list. */
  launch?: Partial<McpLaunchPolicy>;
};

export type McpManager = ReturnType<typeof createMcpManager>;

type Entry = { hash: string; session: Promise<McpSession> };

const MAX_TOOL_PAGES = 50;
/** Open sessions kept; the least recently used one beyond it is closed (the next call to it reconnects). */
export const MAX_MCP_SESSIONS = 128;
const noopLogger: McpLogger = { debug: () => undefined, warn: () => undefined };
/** mcp-connect.ts and the SDK behind it, loaded once with the first session (the SDK's McpError comes from it). */
const connectModule = () => import('./mcp-connect.js');

export function createMcpManager(options: McpManagerOptions) {
  const logger = options.logger ?? noopLogger;
  const outbound = options.launch?.outbound ?? createOutboundPolicy();
  const launch: McpLaunchPolicy = { stdio: options.launch?.stdio, outbound, fetch: options.launch?.fetch ?? createGuardedFetch(outbound) };
  const entries = new LRUCache<string, Entry>({
    max: MAX_MCP_SESSIONS,
    dispose: (entry, _key, reason) => {
      if (reason === 'evict') void entry.session.then((s) => s.close()).catch(() => undefined);
    },
  });

  /** Synchronous check-and-set, so concurrent callers for one key share a single connection attempt. */
  function acquire(key: string, config: McpServerConfig): Promise<McpSession> {
    const hash = configHash(config);
    const existing = entries.get(key);
    if (existing && existing.hash === hash) return existing.session;
    if (existing) forget(key, existing);
    const entry: Entry = {
      hash,
      session: connectModule().then((m) => m.openMcpSession(config, { timeoutMs: options.connectTimeoutMs, logger, launch })),
    };
    entries.set(key, entry);
    entry.session.catch(() => entries.get(key) === entry && entries.delete(key));
    return entry.session;
  }

  function forget(key: string, entry: Entry): void {
    if (entries.get(key) === entry) entries.delete(key);
    void entry.session.then((s) => s.close()).catch(() => undefined);
  }

  async function liveSession(key: string, config: McpServerConfig): Promise<McpSession> {
    const session = await acquire(key, config);
    if (!session.isClosed()) return session;
    const entry = entries.get(key);
    if (entry) forget(key, entry);
    return acquire(key, config);
  }

  /** Runs `fn` on the session; if the session turns out dead, opens a fresh one and tries once more. */
  async function withClient<T>(key: string, input: McpServerConfigInput, fn: (c: Client) => Promise<T>): Promise<T> {
    const config = parseConfig(input);
    const session = await liveSession(key, config);
    try {
      return await fn(session.client);
    } catch (error) {
      if (!(await isDeadConnection(error, session))) throw error;
      logger.warn({ server: config.server_name, err: errorText(error) }, 'mcp session lost; reconnecting');
      const entry = entries.get(key);
      if (entry) forget(key, entry);
      const fresh = await liveSession(key, config);
      try {
        return await fn(fresh.client);
      } catch (retryError) {
        if (!(await isDeadConnection(retryError, fresh))) throw retryError;
        throw new McpConnectionError(config.server_name, errorText(retryError), retryError);
      }
    }
  }

  async function listTools(key: string, input: McpServerConfigInput): Promise<McpToolInfo[]> {
    const name = serverName(input);
    return withClient(key, input, async (client) => {
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const res = await timed(name, 'listing tools', options.callTimeoutMs, () =>
          client.listTools(cursor ? { cursor } : undefined, { timeout: options.callTimeoutMs }),
        );
        for (const t of res.tools) tools.push({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema });
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      return tools;
    });
  }

  async function callTool(
    key: string,
    input: McpServerConfigInput,
    toolName: string,
    args: Record<string, unknown> = {},
  ): Promise<McpCallResult> {
    const name = serverName(input);
    try {
      const result = await withClient(key, input, (client) =>
        timed(name, `tool '${toolName}'`, options.callTimeoutMs, () =>
          client.callTool({ name: toolName, arguments: args }, undefined, { timeout: options.callTimeoutMs }),
        ),
      );
      return formatToolResult(result as RawToolResult, options.maxResultChars);
    } catch (error) {
      // The server answered with a JSON-RPC error (unknown tool, bad arguments): that is the tool failing.
      const { McpError } = await connectModule();
      if (!(error instanceof McpError)) throw error;
      const text = truncateText(`Error calling MCP tool '${toolName}' on server '${name}': ${error.message}`, options.maxResultChars);
      return { status: 'error', text, isError: true };
    }
  }

  async function refresh(key: string, input: McpServerConfigInput): Promise<McpToolInfo[]> {
    void disconnectSync(key); // never rejects: close errors are swallowed
    return listTools(key, input);
  }

  function disconnectSync(key: string): Promise<void> {
    const entry = entries.get(key);
    if (!entry) return Promise.resolve();
    entries.delete(key);
    return entry.session.then((s) => s.close()).catch(() => undefined);
  }

  async function disconnect(key: string): Promise<void> {
    await disconnectSync(key);
  }

  async function closeAll(): Promise<void> {
    await Promise.all([...entries.keys()].map((key) => disconnectSync(key)));
  }

  return { listTools, callTool, refresh, disconnect, closeAll, connectionCount: () => entries.size };
}

function parseConfig(input: McpServerConfigInput): McpServerConfig {
  const parsed = McpServerConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
  throw new BadRequestError(`Invalid MCP server config: ${issues.join('; ')}`);
}

function serverName(input: McpServerConfigInput): string {
  return typeof input?.server_name === 'string' ? input.server_name : '(unnamed)';
}

/** Timeouts stay timeouts (no retry): the session itself is still fine after one. */
async function timed<T>(server: string, what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isRequestTimeout(error)) throw new McpTimeoutError(server, 'call', timeoutMs, what);
    throw error;
  }
}

/**
 * A JSON-RPC error from the server means the session works; anything else (closed transport, HTTP 404 for
 * an unknown session after a restart, refused connection) means it does not.
 */
async function isDeadConnection(error: unknown, session: McpSession): Promise<boolean> {
  if (error instanceof McpTimeoutError) return false;
  if (session.isClosed()) return true;
  const { McpError } = await connectModule();
  if (error instanceof McpError) return error.code === -32000; // ConnectionClosed
  return true;
}

function configHash(config: McpServerConfig): string {
  return createHash('sha256').update(stableJson(config)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
