import { describe, expect, it } from 'vitest';
import { createSandbox } from './run.js';
import type { SandboxRequest } from './types.js';

const sandbox = createSandbox();
const js = (sourceCode: string, functionName: string, extra: Partial<SandboxRequest> = {}) =>
  sandbox.run({ language: 'javascript', sourceCode, functionName, args: {}, ...extra });

describe('JavaScript/TypeScript sandbox', () => {
  it('maps keyword args to positional parameters by name and returns JSON', async () => {
    const r = await js('export function add(a, b) { console.log("adding", { a }); console.error("warn"); return { sum: a + b } }', 'add', {
      args: { b: 2, a: 40 },
    });
    expect(r).toMatchObject({ status: 'success', funcReturn: { sum: 42 }, stdout: ['adding {"a":40}\n'], stderr: ['warn\n'] });
  });

  it('passes the whole args object to a single destructured parameter', async () => {
    const r = await js('export const f = ({ x, y }) => x * y', 'f', { args: { x: 3, y: 4 } });
    expect(r.funcReturn).toBe(12);
  });

  it('runs async TypeScript with types, default exports and env', async () => {
    const src =
      'export default async function greet(name: string, punct: string = "!"): Promise<string> { await null; return `${env.GREETING} ${name}${punct} ${process.env.MNEMO_AGENT_ID}` }';
    const r = await sandbox.run({
      language: 'typescript',
      sourceCode: src,
      functionName: 'greet',
      args: { name: 'Ada' },
      env: { GREETING: 'hi', MNEMO_AGENT_ID: 'agent-1' },
    });
    expect(r).toMatchObject({ status: 'success', funcReturn: 'hi Ada! agent-1' });
  });

  it('reports thrown exceptions and unknown arguments', async () => {
    expect((await js('function t() { throw new RangeError("bad") }', 't')).error).toEqual({ name: 'RangeError', message: 'bad' });
    expect((await js('function t(a) { return a }', 't', { args: { z: 1 } })).error?.name).toBe('TypeError');
  });

  it('stops an infinite loop at the wall-clock timeout', async () => {
    const r = await js('function loop() { while (true) {} }', 'loop', { timeoutMs: 300 });
    expect(r.error?.name).toBe('TimeoutError');
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('stops a memory bomb at the memory limit', async () => {
    const r = await js('function bomb() { const a = []; while (true) a.push("x".repeat(1e6) + a.length) }', 'bomb', { memoryLimitMb: 32 });
    expect(r.error?.name).toBe('MemoryError');
  });

  it('offers no host process, require or module loading', async () => {
    const probe = `function esc() {
      const p = constructor.constructor('return process')();
      return [typeof require, Object.keys(p), Object.keys(globalThis.process), typeof p.exit, typeof p.binding] }`;
    const r = await js(probe, 'esc', { env: { A: '1' } });
    expect(r.funcReturn).toEqual(['undefined', ['env'], ['env'], 'undefined', 'undefined']);
    expect((await js('import fs from "fs"; export function r() { return fs.readFileSync("/etc/passwd", "utf8") }', 'r')).error?.name).toBe(
      'ReferenceError',
    );
    expect((await js('export async function r() { return (await import("fs")).readFileSync("/etc/passwd") }', 'r')).status).toBe('error');
  });

  it('does not expose the server environment', async () => {
    process.env.MNEMO_TEST_SECRET = 'server-secret';
    const r = await js('function f() { return JSON.stringify([env, process.env]) }', 'f', { env: { ONLY: 'this' } });
    expect(r.funcReturn).toBe('[{"ONLY":"this"},{"ONLY":"this"}]');
    delete process.env.MNEMO_TEST_SECRET;
  });

  it('keeps working after escapes and bombs', async () => {
    expect((await js('function ok() { return 1 }', 'ok')).funcReturn).toBe(1);
  });
});
