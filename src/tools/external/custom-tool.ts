// Runs a `custom` tool's source in the sandbox for its language, with the agent's secrets as environment.
import type { SandboxLanguage, SandboxRequest, SandboxResult } from '../../sandbox/types.js';
import type { ExternalRunOptions, ExternalRunResult } from './run-types.js';
import { friendlyError } from './friendly-error.js';
import type { ToolRow } from '../../db/rows.js';

export type SandboxRunner = (req: SandboxRequest) => Promise<SandboxResult>;

function languageOf(sourceType: string | null): SandboxLanguage | undefined {
  const t = (sourceType ?? 'python').toLowerCase();
  if (t === 'python' || t === 'javascript' || t === 'typescript') return t;
  if (t === 'js') return 'javascript';
  if (t === 'ts') return 'typescript';
  return undefined;
}

/** The function to call: the schema's name (what the model calls), else the row name. */
function functionNameOf(tool: Pick<ToolRow, 'name' | 'jsonSchema'>): string {
  const n = tool.jsonSchema?.name;
  return typeof n === 'string' && n ? n : tool.name;
}

function sandboxEnv(opts: ExternalRunOptions): Record<string, string> {
  const env: Record<string, string> = { ...(opts.secrets ?? {}) };
  if (opts.agentId) {
    env.LETTA_AGENT_ID = opts.agentId;
    env.MNEMO_AGENT_ID = opts.agentId;
  }
  return env;
}

type Deps = { runSandbox: SandboxRunner };
type Runnable = Pick<ToolRow, 'name' | 'jsonSchema' | 'sourceType' | 'sourceCode' | 'pipRequirements' | 'npmRequirements'>;

export async function runCustomTool(
  deps: Deps,
  tool: Runnable,
  args: Record<string, unknown>,
  opts: ExternalRunOptions & { timeoutMs: number },
): Promise<ExternalRunResult> {
  const language = languageOf(tool.sourceType);
  const name = functionNameOf(tool);
  if (!language) return failed(name, 'ToolSourceError', `source_type '${tool.sourceType}' cannot be executed`);
  if (!tool.sourceCode) return failed(name, 'ToolSourceError', 'the tool has no source code');
  const requirements = language === 'python' ? tool.pipRequirements : tool.npmRequirements;
  const res = await deps.runSandbox({
    language,
    sourceCode: tool.sourceCode,
    functionName: name,
    args,
    env: sandboxEnv(opts),
    timeoutMs: opts.timeoutMs,
    ...(requirements?.length
      ? { requirements: requirements.map((r) => ({ name: r.name, ...(r.version ? { version: r.version } : {}) })) }
      : {}),
  });
  if (res.status === 'success') return { status: 'success', funcReturn: res.funcReturn, stdout: res.stdout, stderr: res.stderr };
  const err = res.error ?? { name: 'Error', message: 'the tool failed' };
  return { status: 'error', funcReturn: friendlyError(name, err.name, err.message), stdout: res.stdout, stderr: res.stderr };
}

function failed(name: string, errorName: string, message: string): ExternalRunResult {
  return { status: 'error', funcReturn: friendlyError(name, errorName, message), stdout: [], stderr: [] };
}
