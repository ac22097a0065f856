// A Python tool cannot touch the database: the embedded data folder (even world-readable) is hidden, database files
// cannot be opened for writing, and no Unix socket of the host is reachable (PostgreSQL's, DATABASE_URL's socket
// folder, any other path, abstract names). Normal tools keep working. Driven through the real app and config.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/run.js';
import { call } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Under /var/tmp: none of the default socket folders, so only the configuration names it.
const root = mkdtempSync('/var/tmp/mnemo-sbx-');
const dataDir = join(root, 'data');
const socketDir = join(root, 'pgsock');
const otherDir = join(root, 'other');
const abstractName = `\0mnemo-test-${randomBytes(6).toString('hex')}`;
const servers: Server[] = [];
let connections = 0;
let t: TestApp;

function listen(path: string): Promise<void> {
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(path, resolve));
}

beforeAll(async () => {
  // The worst case an older version left behind: everything world-readable and writable.
  mkdirSync(join(dataDir, 'base', '5'), { recursive: true });
  writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
  writeFileSync(join(dataDir, 'base', '5', '1259'), 'agent secret sk-test-123');
  for (const d of [root, dataDir, join(dataDir, 'base'), join(dataDir, 'base', '5')]) chmodSync(d, 0o777);
  for (const f of ['PG_VERSION', 'base/5/1259']) chmodSync(join(dataDir, f), 0o666);
  for (const d of [socketDir, otherDir]) mkdirSync(d, { mode: 0o777 });
  chmodSync(socketDir, 0o777);
  chmodSync(otherDir, 0o777);
  await listen(join(socketDir, '.s.PGSQL.5432'));
  await listen(join(otherDir, 'service.sock'));
  await listen(abstractName);
  for (const p of [join(socketDir, '.s.PGSQL.5432'), join(otherDir, 'service.sock')]) chmodSync(p, 0o777);
  t = await createTestApp({ MNEMO_DATA_DIR: dataDir, DATABASE_URL: `postgres://mnemo@localhost/mnemo?host=${socketDir}` });
}, 60_000);

afterAll(async () => {
  await t?.close();
  for (const s of servers) s.close();
  rmSync(root, { recursive: true, force: true });
});

const ATTACK = `
import os, socket

def attack(data_dir: str, sockets: list) -> dict:
    """Tries to reach the database."""
    out = {}
    def attempt(key, fn):
        try:
            out[key] = ["ok", fn()]
        except Exception as e:
            out[key] = ["failed", type(e).__name__]
    attempt("list", lambda: os.listdir(data_dir))
    attempt("read", lambda: open(os.path.join(data_dir, "base", "5", "1259")).read())
    attempt("write", lambda: open(os.path.join(data_dir, "PG_VERSION"), "r+b").close())
    def connect(path):
        # An abstract name travels as "@name": request text may not hold NUL bytes (they get a 422 at the HTTP edge).
        path = "\\0" + path[1:] if path.startswith("@") else path
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(path)
        return "connected"
    for i, path in enumerate(sockets):
        attempt(f"socket{i}", lambda: connect(path))
    def dgram():
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        a.connect(sockets[0])
        return "connected"
    attempt("dgram", dgram)
    return out
`;

const NORMAL = `
import asyncio, json, tempfile

def normal(n: int) -> dict:
    """An ordinary tool: computes, uses a temp file and asyncio."""
    with tempfile.NamedTemporaryFile("w+") as f:
        f.write(json.dumps({"n": n}))
        f.seek(0)
        back = json.loads(f.read())
    return {"square": back["n"] ** 2, "slept": asyncio.run(asyncio.sleep(0, "yes"))}
`;

async function runTool(source: string, name: string, args: Record<string, unknown>) {
  const res = await call(t.app, 'POST', '/v1/tools/run', {
    source_code: source,
    args,
    json_schema: { name, parameters: { type: 'object', properties: {} } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { status: string; func_return: any; stderr: string[] };
}

describe('Python sandbox and the database', () => {
  it('cannot list, read or write the data folder, nor connect to any Unix socket of the host', async () => {
    const sockets = [
      '/var/run/postgresql/.s.PGSQL.5432',
      join(socketDir, '.s.PGSQL.5432'),
      join(otherDir, 'service.sock'),
      `@${abstractName.slice(1)}`,
    ];
    const r = await runTool(ATTACK, 'attack', { data_dir: dataDir, sockets });
    expect(r.status, JSON.stringify(r)).toBe('success');
    const out = r.func_return as Record<string, [string, unknown]>;
    expect(Object.keys(out)).toHaveLength(8);
    for (const [key, [outcome]] of Object.entries(out)) expect(outcome, `${key}: ${JSON.stringify(out[key])}`).toBe('failed');
    expect(JSON.stringify(out)).not.toContain('sk-test-123');
    expect(connections).toBe(0);
  });

  it('still runs ordinary tools (temp files, asyncio)', async () => {
    const r = await runTool(NORMAL, 'normal', { n: 7 });
    expect(r).toMatchObject({ status: 'success', func_return: { square: 49, slept: 'yes' } });
  });
});

describe('Python sandbox where it cannot be confined', () => {
  it('refuses Python tools with the reason instead of running them unconfined', async () => {
    const sandbox = createSandbox({ pythonPath: join(root, 'no-such-python') });
    const r = await sandbox.run({ language: 'python', sourceCode: 'def f():\n    return 1', functionName: 'f' });
    expect(r.status).toBe('error');
    expect(r.error?.name).toBe('SandboxUnavailable');
    expect(r.error?.message).toMatch(/^Python tools are disabled on this server: they cannot be isolated here \(.+\)/);
    expect((await sandbox.pythonIsolation()).mode).toBe('refused');
  });
});
