// Decides, once per interpreter, how Python tools are confined: fresh net/pid/mount namespaces (util-linux
// unshare), host folders masked, an unprivileged user and a seccomp filter against Unix sockets. A machine that
// cannot do all of it gets a refusal with the reason, never a silently weaker sandbox.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_SOCKET_DIRS } from '../db/socket-dirs.js';

const run = promisify(execFile);

export type PythonIsolation = {
  /** "namespaces+nobody" when tools can run; "refused" (with `refusal`) when they cannot be confined here. */
  mode: 'namespaces+nobody' | 'refused';
  refusal?: string;
  /** Command prefix placed before the interpreter (the unshare wrapper). */
  wrapper: string[];
  dropTo: { uid: number; gid: number } | null;
  hideFiles: string[];
  /** Folders covered by an empty tmpfs; read-only folders the interpreter needs inside them are bound back. */
  maskDirs: string[];
  keepDirs: string[];
  /** Covered last and never re-exposed: the embedded data folder. */
  secretDirs: string[];
};

/** What the server wants hidden from tools, from its configuration. */
export type PythonConfinement = {
  /** Folders no tool may see at all (the embedded data folder). */
  secretDirs?: string[];
  /** Folders holding Unix sockets of host services (PostgreSQL's socket folders, /tmp). */
  socketDirs?: string[];
};

const UNSHARE = ['unshare', '--net', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--'];
/** Fixed PATH for every child: the server's own environment is never passed on. */
export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const NOBODY = { uid: 65534, gid: 65534 };

/** Host paths a tool has no business reading; masked inside the mount namespace unless the interpreter needs them. */
const HIDE_FILES = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'];
const HIDE_DIRS = ['/root', '/home', '/work', '/srv', '/mnt', '/media', '/opt', '/var/lib', '/var/log', '/var/backups'];

const PROBE = `import sys, os, json, decimal, email.message
print(json.dumps([sys.prefix, sys.base_prefix, os.path.realpath(sys.executable)] + [p for p in sys.path if p]))`;

export async function detectPythonIsolation(
  pythonPath: string,
  keepVisible: string[],
  confine: PythonConfinement = {},
): Promise<PythonIsolation> {
  if (process.platform !== 'linux') return refused(`the server runs on ${process.platform}, not Linux`);
  if (process.getuid?.() !== 0) return refused(`the server runs as uid ${process.getuid?.()}, not root`);
  const paths = await probe(pythonPath);
  if (typeof paths === 'string') return refused(`\`unshare\` could not start ${pythonPath} in new namespaces: ${paths}`);
  const needed = paths.map((p) => resolve(p));
  const neededInside = (dir: string) => needed.some((n) => n === dir || n.startsWith(dir + sep) || dir.startsWith(n + sep));
  const socketDirs = existing(confine.socketDirs ?? DEFAULT_SOCKET_DIRS);
  const maskDirs = [...existing(HIDE_DIRS).filter((d) => !neededInside(d)), ...socketDirs];
  const inMask = (p: string) => maskDirs.some((m) => p.startsWith(m + sep));
  return {
    mode: 'namespaces+nobody',
    wrapper: UNSHARE,
    dropTo: NOBODY,
    hideFiles: HIDE_FILES.filter((p) => existsSync(p)),
    maskDirs,
    // keepVisible (the requirements folder) may not exist yet; the bootstrap binds only what exists at call time.
    keepDirs: [...new Set([...keepVisible.map((p) => resolve(p)), ...existing(needed)])].filter(inMask),
    secretDirs: existing(confine.secretDirs ?? []),
  };
}

export function refused(why: string): PythonIsolation {
  const refusal = `Python tools are disabled on this server: they cannot be isolated here (${why}). They need Linux, the server running as root, util-linux \`unshare\` and seccomp.`;
  return { mode: 'refused', refusal, wrapper: [], dropTo: null, hideFiles: [], maskDirs: [], keepDirs: [], secretDirs: [] };
}

/** Real paths of the folders that exist, without duplicates (/var/run is often a link to /run). */
function existing(dirs: string[]): string[] {
  const real = dirs
    .map((d) => resolve(d))
    .filter((d) => existsSync(d))
    .map((d) => realpathSync(d));
  return [...new Set(real)].filter((d) => d !== '/');
}

/** Runs the interpreter as tools will run; returns the paths it needs, or why it could not start. */
async function probe(pythonPath: string): Promise<string[] | string> {
  const code = `import os; os.setgroups([]); os.setgid(${NOBODY.gid}); os.setuid(${NOBODY.uid})\n${PROBE}`;
  const [cmd, ...args] = [...UNSHARE, pythonPath, '-I', '-c', code];
  try {
    const { stdout } = await run(cmd, args, { timeout: 10_000, env: { PATH: SAFE_PATH } });
    return (JSON.parse(stdout) as string[]).flatMap((p) => [p, dirname(p)]).filter((p) => p !== '/');
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return (e.stderr?.trim() || e.message).split('\n').at(-1) ?? e.message;
  }
}
