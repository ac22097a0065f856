import { describe, expect, it } from 'vitest';
import { createSandbox } from './run.js';
import type { SandboxRequest } from './types.js';

const sandbox = createSandbox();
const py = (sourceCode: string, extra: Partial<SandboxRequest> = {}) =>
  sandbox.run({ language: 'python', sourceCode, functionName: 'f', args: {}, timeoutMs: 5000, ...extra });

describe('Python sandbox', () => {
  it('calls the function with keyword args, captures print, returns JSON', async () => {
    const r = await py('def f(a: int, b: int):\n    print("adding", a)\n    return {"sum": a + b}', { args: { a: 1, b: 2 } });
    expect(r).toMatchObject({ status: 'success', funcReturn: { sum: 3 }, stdout: ['adding 1\n'] });
  });

  it('awaits async functions and stringifies non-JSON values', async () => {
    expect(
      (await py('import asyncio\nasync def f(x: int):\n    await asyncio.sleep(0)\n    return x', { args: { x: 5 } })).funcReturn,
    ).toBe(5);
    expect((await py('def f():\n    return {1, 2}')).funcReturn).toBe('{1, 2}');
  });

  it('reports exceptions as name/message with the traceback on stderr', async () => {
    const r = await py('def f():\n    raise ValueError("nope")');
    expect(r.error).toEqual({ name: 'ValueError', message: 'nope' });
    expect(r.stderr.join('')).toContain('Traceback');
  });

  it('sees only the request env, never the server environment', async () => {
    process.env.MNEMO_TEST_SECRET = 'server-secret';
    const r = await py('import os\ndef f():\n    return dict(os.environ)', { env: { LETTA_AGENT_ID: 'agent-1' } });
    delete process.env.MNEMO_TEST_SECRET;
    const env = r.funcReturn as Record<string, string>;
    expect(env.LETTA_AGENT_ID).toBe('agent-1');
    expect(JSON.stringify(env)).not.toContain('server-secret');
  });

  it('stops an infinite loop at the timeout', async () => {
    const r = await py('def f():\n    while True: pass', { timeoutMs: 500 });
    expect(r.error?.name).toBe('TimeoutError');
  });

  it('stops a memory bomb at RLIMIT_AS', async () => {
    const r = await py('def f():\n    a = []\n    while True: a.append(bytearray(10**7))', { memoryLimitMb: 64 });
    expect(r.error?.name).toBe('MemoryError');
  });

  it('stops writing a huge file at RLIMIT_FSIZE', async () => {
    const r = await py('def f():\n    with open("big", "wb") as fh:\n        for _ in range(100):\n            fh.write(b"x" * 2**20)');
    expect(r.error?.message).toMatch(/File too large/);
  });

  it('stops a fork bomb quickly', async () => {
    const src = 'import os\ndef f():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass';
    const r = await py(src, { timeoutMs: 1000 });
    expect(r.error?.name).toBe('TimeoutError');
    expect(r.durationMs).toBeLessThan(4000);
  });

  it('isolates network, /etc/passwd and host dirs when namespaces are available', async () => {
    const iso = await sandbox.pythonIsolation();
    const net = await py('import socket\ndef f():\n    s = socket.socket()\n    s.settimeout(1)\n    s.connect(("127.0.0.1", 22))');
    const passwd = await py('def f():\n    return open("/etc/passwd").read()');
    if (iso.mode.startsWith('namespaces')) {
      expect(net.error?.name).toBe('OSError');
      expect(passwd.funcReturn).toBe('');
    }
    if (iso.dropTo) expect((await py('import os\ndef f():\n    return os.getuid()')).funcReturn).toBe(65534);
  });

  it('fails clearly when a requirement cannot be installed', async () => {
    const r = await py('def f():\n    return 1', { requirements: [{ name: 'mnemo-no-such-package-xyz' }] });
    expect(r.error?.message).toMatch(/could not install requirement mnemo-no-such-package-xyz/);
  });
});
