// A real MCP server on 127.0.0.1 speaking streamable HTTP (/mcp) and legacy SSE (/sse + /messages).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createDemoMcpServer } from './demo-tools.js';

export type McpHttpServer = {
  url: string;
  sseUrl: string;
  port: number;
  /** Sessions opened since start (across restarts), by transport. */
  sessions: { streamable: number; sse: number };
  close(): Promise<void>;
  /** Drops every session and listens again on the same port, as a redeployed server would. */
  restart(): Promise<void>;
};

type Sessions = { streamable: Map<string, StreamableHTTPServerTransport>; sse: Map<string, SSEServerTransport> };

export async function startMcpHttpServer(opts: { port?: number; requireToken?: string } = {}): Promise<McpHttpServer> {
  const counts = { streamable: 0, sse: 0 };
  let live: Sessions = { streamable: new Map(), sse: new Map() };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, live, counts, opts.requireToken).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  };
  let server = await listen(handler, opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  async function shutdown(): Promise<void> {
    const closing = [...live.streamable.values(), ...live.sse.values()].map((t) => t.close().catch(() => undefined));
    live = { streamable: new Map(), sse: new Map() };
    await Promise.all(closing);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    sseUrl: `http://127.0.0.1:${port}/sse`,
    port,
    sessions: counts,
    close: shutdown,
    async restart() {
      await shutdown();
      // A real restart has some downtime; it also lets clients notice their pooled sockets were closed.
      await new Promise((resolve) => setTimeout(resolve, 50));
      server = await listen(handler, port);
    },
  };
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function route(req: IncomingMessage, res: ServerResponse, live: Sessions, counts: McpHttpServer['sessions'], token?: string) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    return;
  }
  if (url.pathname === '/mcp') return handleStreamable(req, res, live.streamable, counts);
  if (url.pathname === '/sse' && req.method === 'GET') {
    const transport = new SSEServerTransport('/messages', res);
    live.sse.set(transport.sessionId, transport);
    transport.onclose = () => live.sse.delete(transport.sessionId);
    counts.sse++;
    await createDemoMcpServer().connect(transport);
    return;
  }
  if (url.pathname === '/messages' && req.method === 'POST') {
    const transport = live.sse.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) return void res.writeHead(404).end('unknown session');
    await transport.handlePostMessage(req, res, await readJson(req));
    return;
  }
  res.writeHead(404).end('not found');
}

async function handleStreamable(
  req: IncomingMessage,
  res: ServerResponse,
  live: Sessions['streamable'],
  counts: McpHttpServer['sessions'],
) {
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  const sessionId = req.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? live.get(sessionId) : undefined;
  if (existing) return existing.handleRequest(req, res, body);
  if (sessionId !== undefined || !isInitializeRequest(body)) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Session not found' }, id: null }));
    return;
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void live.set(id, transport),
  });
  transport.onclose = () => transport.sessionId && live.delete(transport.sessionId);
  counts.streamable++;
  await createDemoMcpServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
