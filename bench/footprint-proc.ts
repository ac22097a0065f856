// Processes for the footprint bench: the compiled server spawned with plain node, the scripted model in its own
// process, and the resident memory of a whole process tree read from /proc (Linux).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const ROOT = new URL('..', import.meta.url);

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process ended meanwhile
  }
}

/** pid and all its descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const stat = readOr(`/proc/${name}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readOr(`/proc/${pid}/status`));
  return m?.[1] ? Number(m[1]) : 0;
}

/** Resident memory of pid and its descendants, in MB. */
export function treeRssMb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0) / 1024;
}

/** CPU time (user + system) one process has used, in ms; 0 once it has ended. */
export function cpuMs(pid: number): number {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Highest resident memory the process itself has had (the kernel's high-water mark), in MB. */
export function peakRssMb(pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024;
}

export async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => done(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export type StartupPhase = { phase: string; ms: number; cpuMs: number; rssMb: number };
export type Server = {
  proc: ChildProcess;
  base: string;
  spawnedAt: number;
  /** The server's own 'started in' record (logged at info; servers before it have none). */
  phases(): StartupPhase[] | undefined;
  stop(): Promise<void>;
};

/** `node dist/main.js` of the checkout at root against dataDir, its OpenAI provider pointed at the scripted model. */
export async function spawnServer(
  dataDir: string,
  openaiBaseUrl: string,
  env: Record<string, string>,
  root: string,
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await freePort();
  const { NODE_OPTIONS: _, ...inherited } = process.env;
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: root,
    env: {
      ...inherited,
      MNEMO_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MNEMO_LOG_FORMAT: 'json',
      OPENAI_API_KEY: 'bench',
      OPENAI_BASE_URL: openaiBaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let phases: StartupPhase[] | undefined;
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    if (line.includes('"started in')) phases = (JSON.parse(line) as { phases?: StartupPhase[] }).phases;
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  return { proc, base: `http://127.0.0.1:${port}`, spawnedAt, phases: () => phases, stop };
}

/** Polls /v1/health/ every 10 ms (bounded); sampler runs on each poll (peak memory while starting). */
export async function waitHealthy(s: Server, sampler: () => void, limitMs = 180_000): Promise<void> {
  while (performance.now() - s.spawnedAt < limitMs) {
    sampler();
    const ok = await fetch(`${s.base}/v1/health/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (s.proc.exitCode !== null) throw new Error(`server exited with ${s.proc.exitCode}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`server did not answer /v1/health/ within ${limitMs} ms`);
}

export type ModelServer = { openaiBaseUrl: string; pid: number; close(): void };

/** bench/loop-llm-server.ts in its own process (its CPU and memory are not the server's). */
export async function startModelServer(): Promise<ModelServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/loop-llm-server.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((done, fail) => {
    createInterface({ input: proc.stdout! }).once('line', done);
    proc.once('exit', (code) => fail(new Error(`model server exited with ${code}`)));
  });
  const { openaiBaseUrl, pid } = JSON.parse(first) as { openaiBaseUrl: string; pid: number };
  return { openaiBaseUrl, pid, close: () => proc.stdin?.end() };
}
