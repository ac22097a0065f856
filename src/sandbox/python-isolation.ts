// Detects, once per interpreter, how strongly Python tools can be isolated on this machine, falling back step by
// step: namespaces (unshare --net --pid --mount) + unprivileged user, namespaces only, unprivileged user only, none.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PythonIsolation = {
  /** Human-readable mode, e.g. "namespaces+nobody"; reported by describe(). */
  mode: 'namespaces+nobody' | 'namespaces' | 'nobody' | 'none';
  /** Command prefix placed before the interpreter (the unshare wrapper) or []. */
  wrapper: string[];
  dropTo: { uid: number; gid: number } | null;
  hideFiles: string[];
  hideDirs: string[];
};

export const UNSHARE = ['unshare', '--net', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--'];
/** Fixed PATH for every child: the server's own environment is never passed on. */
export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const NOBODY = { uid: 65534, gid: 65534 };

/** Host paths a tool has no business reading; masked inside the mount namespace unless the interpreter needs them. */
const HIDE_FILES = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'];
const HIDE_DIRS = ['/root', '/home', '/work', '/srv', '/mnt', '/media', '/opt', '/var/lib', '/var/log', '/var/backups'];

const PROBE = `import sys, os, json, decimal, email.message
print(json.dumps([sys.prefix, sys.base_prefix, os.path.realpath(sys.executable)] + [p for p in sys.path if p]))`;

export async function detectPythonIsolation(pythonPath: string, keepVisible: string[]): Promise<PythonIsolation> {
  const isRoot = process.getuid?.() === 0;
  const candidates: [PythonIsolation['mode'], string[], boolean][] = [
    ['namespaces+nobody', UNSHARE, isRoot],
    ['namespaces', UNSHARE, false],
    ['nobody', [], isRoot],
    ['none', [], false],
  ];
  for (const [mode, wrapper, drop] of candidates) {
    if (drop && !isRoot) continue;
    const paths = await probe(pythonPath, wrapper, drop);
    if (!paths) continue;
    const needed = [...paths, ...keepVisible].map((p) => resolve(p));
    const visible = (p: string) => !needed.some((n) => n === p || n.startsWith(p + sep) || p.startsWith(n + sep));
    const masks = wrapper.length > 0 && isRoot;
    return {
      mode,
      wrapper,
      dropTo: drop ? NOBODY : null,
      hideFiles: masks ? HIDE_FILES.filter((p) => existsSync(p)) : [],
      hideDirs: masks ? HIDE_DIRS.filter((p) => existsSync(p) && visible(p)) : [],
    };
  }
  throw new Error(`python interpreter ${pythonPath} could not be started`);
}

/** Runs the interpreter the way tools will run; returns the paths it needs, or null if that mode fails. */
async function probe(pythonPath: string, wrapper: string[], drop: boolean): Promise<string[] | null> {
  const code = drop ? `import os; os.setgroups([]); os.setgid(${NOBODY.gid}); os.setuid(${NOBODY.uid})\n${PROBE}` : PROBE;
  const [cmd, ...args] = [...wrapper, pythonPath, '-I', '-c', code];
  try {
    const { stdout } = await run(cmd, args, { timeout: 10_000, env: { PATH: SAFE_PATH } });
    return (JSON.parse(stdout) as string[]).flatMap((p) => [p, dirname(p)]).filter((p) => p !== '/');
  } catch {
    return null;
  }
}
