// The contract between the agent loop and the custom-tool runners (JavaScript isolate, Python subprocess).
import { z } from 'zod';
import type { PythonConfinement } from './python-isolation.js';

export const SandboxLanguage = z.enum(['python', 'javascript', 'typescript']);
export type SandboxLanguage = z.infer<typeof SandboxLanguage>;

export const Requirement = z.object({ name: z.string().min(1), version: z.string().optional() });
export type Requirement = z.infer<typeof Requirement>;

export const SandboxRequest = z.object({
  language: SandboxLanguage,
  sourceCode: z.string(),
  functionName: z.string().regex(/^[A-Za-z_$][\w$]*$/, 'functionName must be an identifier'),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Agent secrets / tool env vars plus LETTA_AGENT_ID / MNEMO_AGENT_ID; the only env the tool sees. */
  env: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().positive().default(30_000),
  memoryLimitMb: z.number().int().positive().default(256),
  requirements: z.array(Requirement).optional(),
});
export type SandboxRequest = z.input<typeof SandboxRequest>;
export type ParsedSandboxRequest = z.output<typeof SandboxRequest>;

export type SandboxError = { name: string; message: string };

export type SandboxResult = {
  status: 'success' | 'error';
  /** JSON value returned by the tool (Python: str() of the value when it is not JSON-serialisable). */
  funcReturn: unknown;
  stdout: string[];
  stderr: string[];
  error?: SandboxError;
  durationMs: number;
};

/** Options fixed by the server (not by the tool author). */
export type SandboxOptions = {
  /** Python interpreter; default /usr/bin/python3 when present, else `python3` from PATH. */
  pythonPath?: string;
  /** Where `pip install --target` puts tool requirements; default <tmpdir>/mnemo-python-packages. */
  pipTargetDir?: string;
  /** Wall-clock limit for one `pip install`; default 20 s. */
  pipTimeoutMs?: number;
  /** Parent of the per-call temp dirs; default os.tmpdir(). */
  tmpDir?: string;
  /** What Python tools must not see: the embedded data folder, PostgreSQL's socket folders (from the config). */
  confine?: PythonConfinement;
};

/** Captured output is capped so a chatty tool cannot exhaust the server's memory. */
export const MAX_CAPTURED_CHARS = 1_000_000;

/** A tool's return value, as JSON, is refused above this size (it is cut to return_char_limit later anyway). */
export const MAX_RESULT_BYTES = 1_000_000;

export function resultTooLarge(): SandboxError {
  return { name: 'ResultTooLarge', message: `tool result exceeded ${MAX_RESULT_BYTES} bytes` };
}

export function errorResult(error: SandboxError, startedAt: number, out: Partial<SandboxResult> = {}): SandboxResult {
  return {
    status: 'error',
    funcReturn: null,
    stdout: out.stdout ?? [],
    stderr: out.stderr ?? [],
    error,
    durationMs: Date.now() - startedAt,
  };
}
