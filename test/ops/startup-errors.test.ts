// Start-up failures an operator can fix: the server exits non-zero, fast, with one line naming the setting or folder
// and what to do, and no stack trace. Runs the compiled server (a private build of src/) with plain node.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '../..');
let out = '';
let scratch = '';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__snapshots__' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

beforeAll(async () => {
  // Its own build beside dist/ (same depth, so ../package.json and ../../drizzle resolve alike); dist/ is left alone.
  out = mkdtempSync(join(ROOT, '.ops-build-'));
  chmodSync(out, 0o755); // readable by the unprivileged user one test runs the server as
  await build({
    entryPoints: sources(join(ROOT, 'src')),
    outdir: out,
    outbase: join(ROOT, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  scratch = mkdtempSync(join(tmpdir(), 'mnemo-startup-'));
});
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

type Exit = { code: number | null; stderr: string; stdout: string; ms: number };

function start(env: Record<string, string>, opts: { uid?: number } = {}): Promise<Exit> {
  const started = Date.now();
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, MNEMO_DATA_DIR: join(scratch, 'data'), LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [join(out, 'main.js')], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(kill);
      done({ code, stderr, stdout, ms: Date.now() - started });
    }),
  );
}

function withPassword(url: string): string {
  const u = new URL(url);
  u.password = 'definitely-wrong';
  return u.toString();
}

function withDatabase(url: string): string {
  const u = new URL(url);
  u.pathname = '/no_such_db_ops';
  return u.toString();
}

function expectOneLine(e: Exit, ...parts: (string | RegExp)[]): void {
  const lines = e.stderr.trim().split('\n');
  expect(lines, e.stderr).toHaveLength(1);
  for (const p of parts) expect(lines[0]).toMatch(p);
  expect(e.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('start-up errors', () => {
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const addr = taken.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(() => taken?.close());

  it('a port in use fails within seconds, naming PORT', async () => {
    const e = await start({ PORT: String(port), HOST: '127.0.0.1' });
    expect(e.code).toBe(1);
    expectOneLine(e, `127.0.0.1:${port}`, /already in use/, /PORT/);
    expect(e.ms).toBeLessThan(5_000);
  });

  it('an unreachable PostgreSQL names its host:port and DATABASE_URL', async () => {
    const e = await start({ PORT: '0', DATABASE_URL: 'postgres://mnemo:secret-pw@127.0.0.1:1/mnemo' });
    expect(e.code).toBe(1);
    expectOneLine(e, /127\.0\.0\.1:1/, /connection refused/, /Is PostgreSQL running\? Check DATABASE_URL/);
    expect(e.stderr + e.stdout).not.toContain('secret-pw');
  });

  it('a data folder below a file names MNEMO_DATA_DIR and the file', async () => {
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'x');
    const e = await start({ PORT: '0', MNEMO_DATA_DIR: join(file, 'data') });
    expect(e.code).toBe(1);
    expectOneLine(e, /MNEMO_DATA_DIR/, new RegExp(`${file} is a file, not a folder`));
  });

  it('a data folder this user cannot write names MNEMO_DATA_DIR', async () => {
    // Runs the server as nobody against a root-only folder (the test runs as root, which may write anywhere).
    const locked = mkdtempSync(join(tmpdir(), 'mnemo-locked-'));
    try {
      const e = await start({ PORT: '0', MNEMO_DATA_DIR: join(locked, 'data'), HOME: '/tmp' }, { uid: 65534 });
      expect(e.code).toBe(1);
      expectOneLine(e, /MNEMO_DATA_DIR/, /not writable by this user/);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });

  it('a damaged embedded database says to move the folder aside', async () => {
    const damaged = join(scratch, 'damaged');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, 'PG_VERSION'), 'garbage\n');
    const e = await start({ PORT: '0', MNEMO_DATA_DIR: damaged });
    expect(e.code).toBe(1);
    expectOneLine(e, /MNEMO_DATA_DIR/, /could not be opened/, /Move the folder aside/);
  });

  // The shared PostgreSQL of a `TEST_DATABASE_URL` run: the same server with a wrong password and a missing database.
  const pgUrl = process.env.TEST_DATABASE_URL;
  const pgCases = pgUrl
    ? [
        {
          name: 'a wrong password names the user and DATABASE_URL',
          url: withPassword(pgUrl),
          expect: [/refused user/, /password in DATABASE_URL/],
        },
        {
          name: 'a missing database says how to create it',
          url: withDatabase(pgUrl),
          expect: [/database "no_such_db_ops" does not exist/, /createdb/],
        },
      ]
    : [];
  it.each(pgCases)('$name', async (c) => {
    const e = await start({ PORT: '0', DATABASE_URL: c.url });
    expect(e.code).toBe(1);
    expectOneLine(e, ...c.expect);
  });

  it('invalid settings exit with code 2 and one line per variable', async () => {
    const e = await start({ PORT: 'eighty', LOG_LEVEL: 'loud', MNEMO_SECRET_KEY: 'short' });
    expect(e.code).toBe(2);
    const lines = e.stderr.trim().split('\n');
    for (const v of ['PORT', 'LOG_LEVEL', 'MNEMO_SECRET_KEY']) expect(lines.filter((l) => l.trim().startsWith(`${v}:`))).toHaveLength(1);
    expect(e.stderr).not.toContain('short'); // the value itself (maybe a secret) is not echoed
    expect(e.stderr).not.toMatch(/\n\s+at /);
  });
});
