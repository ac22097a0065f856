// Runs the tools that are not built in: custom tools in the sandbox, MCP tools through the MCP manager.
import type { Logger } from 'pino';
import type { McpManager } from '../mcp/manager.js';
import { createSandbox } from '../sandbox/run.js';
import type { SandboxOptions } from '../sandbox/types.js';
import { runCustomTool, type SandboxRunner } from './external/custom-tool.js';
import { runMcpTool, type McpServerLookup } from './external/mcp-tool.js';
import { friendlyError } from './external/friendly-error.js';
import type { ToolRow } from '../db/rows.js';
import type { ExternalRunOptions, ExternalRunResult, ExternalToolContext, ExternalToolResult } from './external/run-types.js';

export type ToolExecutorDeps = {
  mcp: McpManager;
  mcpServerConfig: McpServerLookup;
  sandboxOpts?: SandboxOptions;
  /** Defaults to the real sandbox; tests and benchmarks may pass another runner. */
  runSandbox?: SandboxRunner;
  log?: Logger;
  defaultTimeoutMs?: number;
};

export function createToolExecutor(deps: ToolExecutorDeps) {
  const timeoutDefault = deps.defaultTimeoutMs ?? 60_000;
  const sandbox = deps.runSandbox ? undefined : createSandbox(deps.sandboxOpts);
  const runSandbox: SandboxRunner = deps.runSandbox ?? ((req) => sandbox!.run(req));

  async function executeExternalTool(
    tool: ToolRow,
    args: Record<string, unknown>,
    opts: ExternalRunOptions = {},
  ): Promise<ExternalRunResult> {
    const timeoutMs = opts.timeoutMs ?? timeoutDefault;
    try {
      if (tool.toolType === 'external_mcp') return await runMcpTool(deps, tool, args);
      if (tool.toolType === 'custom') return await runCustomTool({ runSandbox }, tool, args, { ...opts, timeoutMs });
      return errorResult(tool.name, 'ToolTypeError', `tool_type '${tool.toolType}' cannot run outside the agent loop`);
    } catch (error) {
      // Connection trouble, a timeout or a bug in us: the model sees a failed tool call, the turn goes on.
      deps.log?.warn({ tool: tool.name, err: error }, 'external tool failed');
      const e = error instanceof Error ? error : new Error(String(error));
      return errorResult(tool.name, e.name, e.message);
    }
  }

  /** The shape the agent loop calls (LoopDeps.executeExternalTool): secrets come from the agent row. */
  async function executeForLoop(tool: ToolRow, args: Record<string, unknown>, ctx: ExternalToolContext): Promise<ExternalToolResult> {
    const secrets = Object.fromEntries((ctx.agent.secrets ?? []).map((s) => [s.key, s.value]));
    const r = await executeExternalTool(tool, args, { agentId: ctx.agentId, secrets });
    return { status: r.status, value: r.funcReturn, stdout: r.stdout, stderr: r.stderr };
  }

  return { executeExternalTool, executeForLoop };
}

export type ToolExecutor = ReturnType<typeof createToolExecutor>;

function errorResult(toolName: string, errorName: string, message: string): ExternalRunResult {
  return { status: 'error', funcReturn: friendlyError(toolName, errorName, message), stdout: [], stderr: [] };
}
