// What running a custom or MCP tool takes and gives back, shared by the executor and each runner.
export type ExternalRunOptions = {
  agentId?: string;
  /** Agent secrets / tool env vars: the only environment a sandboxed tool sees (plus the agent id). */
  secrets?: Record<string, string>;
  timeoutMs?: number;
};

export type ExternalRunResult = { status: 'success' | 'error'; funcReturn: unknown; stdout: string[]; stderr: string[] };
