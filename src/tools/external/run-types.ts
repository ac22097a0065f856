// What running a custom or MCP tool takes and gives back: the loop's view (ExternalTool*) and each runner's (ExternalRun*).
import type { Actor } from '../../actor.js';
import type { AgentRow } from '../../db/rows.js';

export type ExternalToolResult = { status: 'success' | 'error'; value: unknown; stdout?: string[]; stderr?: string[] };
export type ExternalToolContext = { actor: Actor; agentId: string; runId: string; stepId: string; agent: AgentRow };

export type ExternalRunOptions = {
  agentId?: string;
  /** Agent secrets / tool env vars: the only environment a sandboxed tool sees (plus the agent id). */
  secrets?: Record<string, string>;
  timeoutMs?: number;
};

export type ExternalRunResult = { status: 'success' | 'error'; funcReturn: unknown; stdout: string[]; stderr: string[] };
