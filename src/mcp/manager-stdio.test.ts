import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stdioServerCommand, type StdioCommand } from '../../test/support/mcp-servers/stdio-command.js';
import { createMcpManager, type McpManager, type McpManagerOptions } from './manager.js';
import { McpConnectionError, McpTimeoutError } from './mcp-errors.js';
import type { McpServerConfigInput } from './types.js';

let launch: StdioCommand;
let manager: McpManager;
// stdio servers are off unless the operator allows them; these tests are about a server that is allowed.
const allowStdio: McpManagerOptions['launch'] = { stdio: { allowed: true, baseEnv: { PATH: process.env.PATH ?? '' } } };

beforeAll(async () => {
  launch = await stdioServerCommand();
  manager = createMcpManager({ connectTimeoutMs: 5000, callTimeoutMs: 3000, maxResultChars: 1000, launch: allowStdio });
});
afterAll(() => manager.closeAll());

const stdio = (extra: Partial<Extract<McpServerConfigInput, { mcp_server_type: 'stdio' }>> = {}): McpServerConfigInput => ({
  mcp_server_type: 'stdio',
  server_name: 'demo-stdio',
  ...launch,
  ...extra,
});

describe('MCP manager over stdio', () => {
  it('lists the server tools with their input schemas', async () => {
    const tools = await manager.listTools('srv-list', stdio());
    const add = tools.find((t) => t.name === 'add');
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['add', 'echo', 'slow', 'fail', 'big']));
    expect(add).toMatchObject({ description: 'Add two numbers', inputSchema: { type: 'object', required: ['a', 'b'] } });
  });

  it('calls a tool and reuses one child process for later calls', async () => {
    expect(await manager.callTool('srv-reuse', stdio(), 'add', { a: 2, b: 3 })).toEqual({
      status: 'success',
      text: '5',
      isError: false,
    });
    const first = await manager.callTool('srv-reuse', stdio(), 'pid');
    const second = await manager.callTool('srv-reuse', stdio(), 'pid');
    expect(second.text).toBe(first.text);
  });

  it('returns a thrown tool error as an error result, not an exception', async () => {
    const result = await manager.callTool('srv-fail', stdio(), 'fail');
    expect(result.status).toBe('error');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('deliberate failure');
  });

  it('truncates long output and says so', async () => {
    const result = await manager.callTool('srv-big', stdio(), 'big', { n: 5000 });
    expect(result.text.startsWith('x'.repeat(1000) + '...')).toBe(true);
    expect(result.text).not.toContain('x'.repeat(1001));
    expect(result.text).toContain('5000 characters, limit 1000');
  });

  it('summarises non-text content', async () => {
    const result = await manager.callTool('srv-pic', stdio(), 'picture');
    expect(result.text).toBe('a picture:\n[image image/png, 8 bytes]');
  });

  it('times out a slow tool with an error naming the server, and the session stays usable', async () => {
    const quick = createMcpManager({ connectTimeoutMs: 5000, callTimeoutMs: 200, maxResultChars: 1000, launch: allowStdio });
    try {
      const call = quick.callTool('srv-slow', stdio(), 'slow', { ms: 2000 });
      await expect(call).rejects.toBeInstanceOf(McpTimeoutError);
      await expect(call).rejects.toThrow("MCP server 'demo-stdio': tool 'slow' timed out after 200 ms");
      expect((await quick.callTool('srv-slow', stdio(), 'add', { a: 1, b: 1 })).text).toBe('2');
    } finally {
      await quick.closeAll();
    }
  });

  it('reconnects once when the child process has died', async () => {
    const before = Number((await manager.callTool('srv-die', stdio(), 'pid')).text);
    process.kill(before, 'SIGKILL');
    await waitForExit(before);
    const after = await manager.callTool('srv-die', stdio(), 'pid');
    expect(after.status).toBe('success');
    expect(Number(after.text)).not.toBe(before);
  });

  it('replaces the connection when the config changes', async () => {
    const a = await manager.callTool('srv-cfg', stdio({ env: { MODE: 'a' } }), 'env', { name: 'MODE' });
    const pidA = await manager.callTool('srv-cfg', stdio({ env: { MODE: 'a' } }), 'pid');
    const b = await manager.callTool('srv-cfg', stdio({ env: { MODE: 'b' } }), 'env', { name: 'MODE' });
    const pidB = await manager.callTool('srv-cfg', stdio({ env: { MODE: 'b' } }), 'pid');
    expect([a.text, b.text]).toEqual(['a', 'b']);
    expect(pidB.text).not.toBe(pidA.text);
  });

  it('does not pass our own environment to the child, but keeps PATH and the configured env', async () => {
    process.env.MNEMO_TEST_SECRET = 'do-not-leak';
    try {
      const cfg = stdio({ env: { GIVEN: 'yes' } });
      expect((await manager.callTool('srv-env', cfg, 'env', { name: 'MNEMO_TEST_SECRET' })).text).toBe('<unset>');
      expect((await manager.callTool('srv-env', cfg, 'env', { name: 'GIVEN' })).text).toBe('yes');
      expect((await manager.callTool('srv-env', cfg, 'env', { name: 'PATH' })).text).toBe(process.env.PATH);
    } finally {
      delete process.env.MNEMO_TEST_SECRET;
    }
  });
});

describe('MCP manager stdio failures', () => {
  afterEach(() => manager.disconnect('srv-bad'));

  it('fails fast with McpConnectionError for a command that does not exist', async () => {
    const started = Date.now();
    const call = manager.listTools('srv-bad', stdio({ command: '/nonexistent/mcp-server', args: [] }));
    await expect(call).rejects.toBeInstanceOf(McpConnectionError);
    await expect(call).rejects.toThrow(/MCP server 'demo-stdio': connection failed: .*ENOENT/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('includes the stderr of a server that exits during start-up', async () => {
    const cfg = stdio({ command: process.execPath, args: ['-e', "console.error('missing API key'); process.exit(3)"] });
    await expect(manager.listTools('srv-bad', cfg)).rejects.toThrow(/connection failed: .*missing API key/);
  });

  it('rejects an invalid config before spawning anything', async () => {
    await expect(manager.listTools('srv-bad', stdio({ command: '' }))).rejects.toThrow(/Invalid MCP server config: command/);
  });
});

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} did not exit`);
}
