// The tools every test MCP server exposes, registered on a fresh McpServer (one per session).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

export function createDemoMcpServer(): McpServer {
  const server = new McpServer({ name: 'mnemo-test-mcp', version: '1.0.0' });
  server.registerTool('add', { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) =>
    text(String(a + b)),
  );
  server.registerTool('echo', { description: 'Echo the text back', inputSchema: { text: z.string() } }, async ({ text: value }) =>
    text(value),
  );
  server.registerTool('slow', { description: 'Answer after ms milliseconds', inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return text(`slept ${ms}`);
  });
  server.registerTool('fail', { description: 'Always throws' }, async () => {
    throw new Error('deliberate failure');
  });
  server.registerTool('big', { description: 'Return n characters', inputSchema: { n: z.number().int() } }, async ({ n }) =>
    text('x'.repeat(n)),
  );
  server.registerTool(
    'env',
    { description: 'Read an environment variable of the server process', inputSchema: { name: z.string() } },
    async ({ name }) => text(process.env[name] ?? '<unset>'),
  );
  server.registerTool('pid', { description: 'Process id of the server' }, async () => text(String(process.pid)));
  server.registerTool('picture', { description: 'Return text plus a small image' }, async () => ({
    content: [
      { type: 'text' as const, text: 'a picture:' },
      { type: 'image' as const, data: Buffer.from('fake-png').toString('base64'), mimeType: 'image/png' },
    ],
  }));
  return server;
}
