// The compiled build: dist/ runs with plain node (no tsx anywhere in the process tree), finds its migrations and
// other files from dist/, and `npm start` rebuilds a stale dist/ before running it in the same process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../support/test-db.js';

// The build also makes the pre-initialised database (initdb and every migration): slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

const ROOT = resolve(import.meta.dirname, '../..');
/** On PostgreSQL a database cloned for this file; on PGlite one data folder for both starts (the first migrates it). */
let dbEnv: Record<string, string> = {};
let dataDir = '';
let db: Awaited<ReturnType<typeof createTestDb>> | undefined;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => done(port));
    });
  });
}

/** Starts a command in its own process group; resolves with the base URL once healthy. */
async function startHealthy(cmd: string, args: string[]): Promise<string> {
  const port = await freePort();
  const { NODE_OPTIONS: _, ...env } = process.env; // nothing inherited may preload a TypeScript loader
  child = spawn(cmd, args, {
    cwd: ROOT,
    detached: true,
    env: { ...env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
    if (
      await fetch(`${base}/v1/health/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return base;
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${cmd} ${args.join(' ')} did not answer /v1/health/ within 180 s`);
}

/** The command lines (and NODE_OPTIONS) of pid and all its descendants, read from /proc. */
function processTree(pid: number): { pid: number; argv: string[]; nodeOptions: string }[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const stat = readIfThere(`/proc/${name}/stat`);
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (Number.isFinite(ppid)) parents.set(Number(name), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of parents) if (pp === tree[i]) tree.push(p);
  return tree.map((p) => ({
    pid: p,
    argv: (readIfThere(`/proc/${p}/cmdline`) ?? '').split('\0').filter(Boolean),
    nodeOptions: (readIfThere(`/proc/${p}/environ`) ?? '').split('\0').find((e) => e.startsWith('NODE_OPTIONS=')) ?? '',
  }));
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended meanwhile
  }
}

async function stopChild(): Promise<void> {
  const c = child;
  child = undefined;
  if (!c?.pid || c.exitCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  process.kill(-c.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
}

beforeAll(async () => {
  db = await createTestDb();
  if (db.url) {
    dbEnv = { DATABASE_URL: db.url };
  } else {
    await db.close();
    db = undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'mnemo-compiled-'));
    dbEnv = { MNEMO_DATA_DIR: dataDir };
  }
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
});
afterEach(stopChild);
afterAll(async () => {
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('compiled build', () => {
  it('runs dist/main.js with plain node: applies its migrations from dist/ and answers, with no tsx in the tree', async () => {
    const base = await startHealthy(process.execPath, ['dist/main.js']);
    expect(await (await fetch(`${base}/v1/health/`)).json()).toMatchObject({ status: 'ok' });
    // A migrated database answers a listing (the migrations were found from dist/).
    expect((await fetch(`${base}/v1/agents/`)).status).toBe(200);
    const tree = processTree(child!.pid!);
    expect(tree[0]!.argv.slice(1)).toEqual(['dist/main.js']);
    for (const p of tree) {
      expect(p.argv.join(' ')).not.toMatch(/tsx/);
      expect(p.nodeOptions).not.toMatch(/tsx/);
    }
  });

  it('ships every file the server opens relative to its own module', () => {
    const sources = listTs(join(ROOT, 'src'));
    const refs = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)].map((m) => ({ file, ref: m[1]! })),
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const { file, ref } of refs) {
      const compiled = join(ROOT, 'dist', relative(join(ROOT, 'src'), dirname(file)));
      expect(existsSync(resolve(compiled, ref)), `${relative(ROOT, file)} → ${ref} from dist/`).toBe(true);
    }
  });

  it('is one bundled file that answers and handles SIGTERM while a provider hangs, and logs where its start went', async () => {
    expect(readFileSync(join(ROOT, 'dist/main.js'), 'utf8')).not.toMatch(/from ["']\.\//); // nothing of ours beside it
    // A provider that accepts the connection and never answers: the banner's model-list probe waits on it.
    const hanging: Server = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const hangPort = (hanging.address() as { port: number }).port;
    try {
      const port = await freePort();
      const { NODE_OPTIONS: _, ...env } = process.env;
      const provider = {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `http://127.0.0.1:${hangPort}/v1`,
        MNEMO_MODEL_LIST_TIMEOUT_MS: '60000',
      };
      const proc = spawn(process.execPath, ['dist/main.js'], {
        cwd: ROOT,
        env: { ...env, ...dbEnv, ...provider, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', MNEMO_LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      proc.stdout.on('data', (d) => (out += d));
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
        proc.once('exit', (code, signal) => r({ code, signal })),
      );
      for (let i = 0; i < 900 && !out.includes('"started in'); i++) await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`http://127.0.0.1:${port}/v1/health/`)).status).toBe(200);
      const started = out.split('\n').find((l) => l.includes('"started in'));
      const phases = (JSON.parse(started ?? '{}') as { phases?: { phase: string; ms: number }[] }).phases ?? [];
      expect(phases.map((p) => p.phase)).toEqual([
        'node',
        'preflight',
        'modules',
        'database',
        'migrations',
        'builtin tools',
        'services',
        'http',
        'listen',
      ]);
      expect(out).not.toContain('listening  http'); // the banner still waits for the hanging provider
      proc.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null }); // a graceful close, not death by the signal
      expect(out).toContain('shutting down');
    } finally {
      hanging.close();
    }
  });

  it('npm start rebuilds a stale dist/ and runs it in one node process under npm, without tsx', async () => {
    rmSync(join(ROOT, 'dist/.built')); // what an edit to src/ after the last build looks like to the check
    await startHealthy('npm', ['start']);
    expect(existsSync(join(ROOT, 'dist/.built'))).toBe(true);
    const tree = processTree(child!.pid!);
    const nodes = tree.filter((p) => p.argv.some((a) => a.endsWith('scripts/start.mjs')));
    expect(nodes).toHaveLength(1);
    for (const p of tree) {
      expect(p.argv.join(' ')).not.toMatch(/tsx/);
      expect(p.nodeOptions).not.toMatch(/tsx/);
    }
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return listTs(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}
