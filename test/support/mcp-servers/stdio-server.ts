// Test MCP server over stdio: `node --import tsx test/support/mcp-servers/stdio-server.ts` (or the bundle).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createDemoMcpServer } from './demo-tools.js';

await createDemoMcpServer().connect(new StdioServerTransport());
// Exit as soon as the client hangs up, even with a `slow` call pending, so test teardown stays quick.
process.stdin.on('end', () => process.exit(0));
