// Runs a Python tool as a child of the machine's python3: fresh temp dir, clean environment, rlimits, namespaces,
// masked host folders, an unprivileged user and no Unix sockets (see python-isolation.ts), wall-clock kill of the
// whole process group. A machine that cannot confine tools gets the refusal as the tool's error.
import { spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PythonIsolation } from './python-isolation.js';
import { SAFE_PATH } from './python-isolation.js';
import {
  errorResult,
  MAX_CAPTURED_CHARS,
  MAX_RESULT_BYTES,
  resultTooLarge,
  type ParsedSandboxRequest,
  type SandboxResult,
} from './types.js';

const BOOTSTRAP = fileURLToPath(new URL('./python-bootstrap.py', import.meta.url));

/** Limits that are not per-request; small NPROC so a fork bomb hits the wall at once. */
const PYTHON_LIMITS = { nproc: 16, fileSizeBytes: 64 * 1024 * 1024 };

export type PythonRunContext = { pythonPath: string; isolation: PythonIsolation; tmpDir: string; extraSysPath: string[] };

type Outcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };
/** Room for the {"ok": true, "value": …} wrapper around the value's JSON in the result file. */
const OUTCOME_WRAPPER_BYTES = 64;
type Exit = { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; stdout: string; stderr: string };

export async function runPython(req: ParsedSandboxRequest, ctx: PythonRunContext): Promise<SandboxResult> {
  const startedAt = Date.now();
  if (ctx.isolation.refusal) return errorResult({ name: 'SandboxUnavailable', message: ctx.isolation.refusal }, startedAt);
  // root dir is 0700 (spec, source, result); only work/ is handed to the tool's user.
  const root = await mkdtemp(join(ctx.tmpDir, 'mnemo-py-'));
  try {
    const specPath = await writeSpec(root, req, ctx);
    const exit = await spawnTool(ctx, specPath, childEnv(req.env, join(root, 'work')), req.timeoutMs);
    const outcome = await readOutcome(join(root, 'result.json'));
    return toResult(outcome, exit, req, startedAt);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The file exists (empty) from the start, so a killed tool leaves nothing parseable: that means no result. */
async function readOutcome(path: string): Promise<Outcome | null> {
  try {
    if ((await stat(path)).size > MAX_RESULT_BYTES + OUTCOME_WRAPPER_BYTES) return { ok: false, error: resultTooLarge() };
    return JSON.parse(await readFile(path, 'utf8')) as Outcome;
  } catch {
    return null;
  }
}

async function writeSpec(root: string, req: ParsedSandboxRequest, ctx: PythonRunContext): Promise<string> {
  const workDir = join(root, 'work');
  await mkdir(workDir, { mode: 0o700 });
  if (ctx.isolation.dropTo) await chown(workDir, ctx.isolation.dropTo.uid, ctx.isolation.dropTo.gid);
  await writeFile(join(root, 'tool.py'), req.sourceCode, { mode: 0o600 });
  const spec = {
    resultPath: join(root, 'result.json'),
    sourcePath: join(root, 'tool.py'),
    workDir,
    functionName: req.functionName,
    args: req.args,
    extraSysPath: ctx.extraSysPath,
    dropTo: ctx.isolation.dropTo,
    hideFiles: ctx.isolation.hideFiles,
    maskDirs: ctx.isolation.maskDirs,
    keepDirs: [[workDir, true], ...ctx.isolation.keepDirs.map((d) => [d, false])],
    secretDirs: ctx.isolation.secretDirs,
    limits: {
      as: req.memoryLimitMb * 1024 * 1024,
      cpu: Math.ceil(req.timeoutMs / 1000) + 1,
      fsize: PYTHON_LIMITS.fileSizeBytes,
      nproc: PYTHON_LIMITS.nproc,
    },
  };
  const specPath = join(root, 'spec.json');
  await writeFile(specPath, JSON.stringify(spec), { mode: 0o600 });
  return specPath;
}

/** Only the request's variables plus a minimal base; the server's process.env is never copied. */
function childEnv(env: Record<string, string>, home: string): Record<string, string> {
  const base = {
    PATH: SAFE_PATH,
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    NO_COLOR: '1',
    TERM: 'dumb',
  };
  return { ...base, ...env };
}

function spawnTool(ctx: PythonRunContext, specPath: string, env: Record<string, string>, timeoutMs: number): Promise<Exit> {
  const [cmd, ...args] = [...ctx.isolation.wrapper, ctx.pythonPath, '-I', BOOTSTRAP, specPath];
  // detached → own process group, so the timeout can kill every descendant with one signal.
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit: Exit = { code: null, signal: null, timedOut: false, stdout: '', stderr: '' };
  const collect = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (exit[key].length < MAX_CAPTURED_CHARS) exit[key] += chunk.toString('utf8').slice(0, MAX_CAPTURED_CHARS - exit[key].length);
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    exit.timedOut = true;
    killGroup();
  }, timeoutMs);
  return new Promise((resolvePromise) => {
    child.on('error', (err) => {
      exit.stderr += String(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // stragglers that kept running after the main process exited
      resolvePromise({ ...exit, code, signal });
    });
  });
}

function toResult(outcome: Outcome | null, exit: Exit, req: ParsedSandboxRequest, startedAt: number): SandboxResult {
  const out = { stdout: exit.stdout ? [exit.stdout] : [], stderr: exit.stderr ? [exit.stderr] : [] };
  if (exit.timedOut || exit.signal === 'SIGXCPU') {
    const message = `Executing tool ${req.functionName} timed out after ${req.timeoutMs / 1000} seconds.`;
    return errorResult({ name: 'TimeoutError', message }, startedAt, out);
  }
  if (outcome?.ok) return { status: 'success', funcReturn: outcome.value, ...out, durationMs: Date.now() - startedAt };
  if (outcome) return errorResult(outcome.error, startedAt, out);
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return errorResult({ name: 'SandboxError', message: `tool ${req.functionName} ${how} without returning a result` }, startedAt, out);
}
