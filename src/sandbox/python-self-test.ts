// Before the first Python tool runs, one harmless tool checks that the confinement really holds on this machine:
// the unprivileged user, no Unix sockets, and the secret folders unreadable. Anything less becomes a refusal.
import { refused, type PythonIsolation } from './python-isolation.js';
import { runPython, type PythonRunContext } from './python-runner.js';
import { SandboxRequest } from './types.js';

const SOURCE = `import os, socket
def self_test(secrets):
    seen = []
    for d in secrets:
        try:
            seen.append([d, os.listdir(d)])
        except OSError:
            pass
    try:
        socket.socket(socket.AF_UNIX).close()
        unix = "allowed"
    except OSError:
        unix = "refused"
    return {"uid": os.getuid(), "unix": unix, "seen": seen}`;

type Report = { uid: number; unix: string; seen: [string, string[]][] };

export async function selfTestIsolation(ctx: PythonRunContext): Promise<PythonIsolation> {
  if (ctx.isolation.refusal) return ctx.isolation;
  const req = SandboxRequest.parse({
    language: 'python',
    sourceCode: SOURCE,
    functionName: 'self_test',
    args: { secrets: ctx.isolation.secretDirs },
    timeoutMs: 15_000,
  });
  const r = await runPython(req, ctx);
  if (r.status !== 'success') {
    const why = r.error ? `${r.error.name}: ${r.error.message}` : 'no result';
    return refused(`a confined test tool failed: ${why} ${r.stderr.join('').trim().split('\n').slice(-1)[0] ?? ''}`.trim());
  }
  const report = r.funcReturn as Report;
  if (report.uid !== ctx.isolation.dropTo?.uid) return refused(`a test tool ran as uid ${report.uid}`);
  if (report.unix !== 'refused') return refused('a test tool could open a Unix socket (no seccomp?)');
  if (report.seen.length > 0) return refused(`a test tool could list ${report.seen.map(([d]) => d).join(', ')}`);
  return ctx.isolation;
}
