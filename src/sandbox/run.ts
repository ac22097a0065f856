// Entry point for the agent loop: validates a SandboxRequest and dispatches to the JavaScript or Python runner.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJavaScript } from './js-runner.js';
import { detectPythonIsolation, type PythonIsolation } from './python-isolation.js';
import { ensureRequirements } from './python-requirements.js';
import { runPython } from './python-runner.js';
import { selfTestIsolation } from './python-self-test.js';
import { errorResult, SandboxRequest, type SandboxOptions, type SandboxResult } from './types.js';

export type Sandbox = {
  run(req: SandboxRequest): Promise<SandboxResult>;
  /** How Python tools are isolated on this machine (probed once, on first use). */
  pythonIsolation(): Promise<PythonIsolation>;
};

export function createSandbox(opts: SandboxOptions = {}): Sandbox {
  const pythonPath = opts.pythonPath ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const tmpDir = opts.tmpDir ?? tmpdir();
  const pipTargetDir = opts.pipTargetDir ?? join(tmpDir, 'mnemo-python-packages');
  const extraSysPath = [pipTargetDir];
  let isolation: Promise<PythonIsolation> | undefined;
  const pythonIsolation = () =>
    (isolation ??= detectPythonIsolation(pythonPath, [pipTargetDir], opts.confine).then((iso) =>
      selfTestIsolation({ pythonPath, isolation: iso, tmpDir, extraSysPath }),
    ));

  async function run(input: SandboxRequest): Promise<SandboxResult> {
    const startedAt = Date.now();
    const parsed = SandboxRequest.safeParse(input);
    if (!parsed.success) return errorResult({ name: 'ValueError', message: parsed.error.message }, startedAt);
    const req = parsed.data;
    if (req.language !== 'python') return runJavaScript(req);
    const iso = await pythonIsolation();
    if (iso.refusal) return errorResult({ name: 'SandboxUnavailable', message: iso.refusal }, startedAt);
    const missing = await ensureRequirements(pythonPath, req.requirements ?? [], pipTargetDir, opts.pipTimeoutMs ?? 20_000);
    if (missing) return errorResult({ name: 'RequirementError', message: missing }, startedAt);
    return runPython(req, { pythonPath, isolation: iso, tmpDir, extraSysPath });
  }
  return { run, pythonIsolation };
}
