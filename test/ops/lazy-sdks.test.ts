// The MCP and Anthropic SDKs are not loaded by a start (every module the server's context and app import), only by
// their first use. Runs in a child process whose module resolutions are recorded by a loader hook.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'mnemo-lazy-sdks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`;

const src = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, 'src', path)).href);

const SCRIPT = `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register(${JSON.stringify(pathToFileURL(join(scratch, 'hooks.mjs')).href)}, { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((r) => setTimeout(r, 300));
const loaded = async () => {
  await settle();
  return { mcp: urls.some((u) => u.includes('@modelcontextprotocol/sdk')), anthropic: urls.some((u) => u.includes('@anthropic-ai/sdk')) };
};
await import(${src('context.ts')});
await import(${src('app.ts')});
const atStart = await loaded();
const { createMcpManager } = await import(${src('mcp/manager.ts')});
const mcp = createMcpManager({ connectTimeoutMs: 2000, callTimeoutMs: 2000, maxResultChars: 100 });
await mcp.listTools('k', { server_name: 'x', mcp_server_type: 'streamable_http', server_url: 'http://127.0.0.1:9/mcp' }).catch(() => {});
const afterMcp = await loaded();
const { createAnthropicProvider } = await import(${src('llm/anthropic.ts')});
await createAnthropicProvider({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 }).listModels().catch(() => {});
const afterAnthropic = await loaded();
port1.close();
console.log(JSON.stringify({ atStart, afterMcp, afterAnthropic, count: urls.length }));`;

describe('lazily loaded SDKs', () => {
  it('loads neither SDK at start, and each with its first use', () => {
    writeFileSync(join(scratch, 'hooks.mjs'), HOOKS);
    writeFileSync(join(scratch, 'probe.mjs'), SCRIPT);
    const { NODE_OPTIONS: _, ...env } = process.env;
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(scratch, 'probe.mjs')], { cwd: ROOT, env, encoding: 'utf8' });
    const seen = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    expect(seen.count).toBeGreaterThan(300); // the hook saw the server's modules resolve
    expect(seen.atStart).toEqual({ mcp: false, anthropic: false });
    expect(seen.afterMcp).toEqual({ mcp: true, anthropic: false });
    expect(seen.afterAnthropic).toEqual({ mcp: true, anthropic: true });
  });
});
