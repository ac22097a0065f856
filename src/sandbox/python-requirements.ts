// Makes a tool's pip_requirements importable: already installed → nothing to do; otherwise
// `pip install --target <dir>` outside the sandbox with a short timeout, failing with a message naming the package.
// Wheels only: building a source package runs its setup code here, outside the sandbox, next to the database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SAFE_PATH } from './python-isolation.js';
import type { Requirement } from './types.js';

const run = promisify(execFile);

const CHECK = `import sys, json, importlib.metadata as md
sys.path.insert(0, sys.argv[1])
missing = []
for r in json.loads(sys.argv[2]):
    try:
        v = md.version(r["name"])
        if r.get("version") and v != r["version"]:
            missing.append(r)
    except md.PackageNotFoundError:
        missing.append(r)
print(json.dumps(missing))`;

const OFFLINE = /connection|network|resolve|name or service|temporary failure|unreachable|timed out/i;
const NO_WHEEL = /No matching distribution|Could not find a version/i;

function requirementSpec(r: Requirement): string {
  return r.version ? `${r.name}==${r.version}` : r.name;
}

/** Returns null when all requirements are importable, else a message naming the first one that is not. */
export async function ensureRequirements(
  pythonPath: string,
  requirements: Requirement[],
  targetDir: string,
  timeoutMs: number,
): Promise<string | null> {
  if (requirements.length === 0) return null;
  const env = { PATH: SAFE_PATH, HOME: targetDir, LANG: 'C.UTF-8', PIP_NO_INPUT: '1' };
  const { stdout } = await run(pythonPath, ['-I', '-c', CHECK, targetDir, JSON.stringify(requirements)], { env, timeout: 10_000 });
  const missing = JSON.parse(stdout) as Requirement[];
  for (const req of missing) {
    const args = [
      '-I',
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-input',
      '--timeout',
      '3',
      '--retries',
      '0',
      '--only-binary',
      ':all:',
      '--upgrade',
      '--target',
      targetDir,
      requirementSpec(req),
    ];
    try {
      await run(pythonPath, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; killed?: boolean; message: string };
      const text = `${e.stderr ?? ''}\n${e.message}`;
      const why = e.killed
        ? 'pip did not finish in time (no package index reachable?)'
        : OFFLINE.test(text)
          ? 'no package index reachable'
          : NO_WHEEL.test(text)
            ? 'no wheel found (no package index reachable, or only a source package, which is not built)'
            : (text.trim().split('\n').filter(Boolean).pop() ?? 'pip failed');
      return `could not install requirement ${requirementSpec(req)}: ${why}`;
    }
  }
  return null;
}
