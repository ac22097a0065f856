// Client-side tools: offered to the model for one request only; a call to one pauses the turn for the client.
import type { LlmTool } from '../../llm/types.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import type { ClientTool, TurnRequest } from './types.js';

const EMPTY_PARAMS = { type: 'object', properties: {} };

/** The agent's allowed tools plus the request's client tools (an agent tool of the same name wins). */
export function withClientTools(tools: LlmTool[], clientTools: ClientTool[] | undefined): LlmTool[] {
  if (!clientTools?.length) return tools;
  const names = new Set(tools.map((t) => t.name));
  const extra = clientTools
    .filter((c) => !names.has(c.name))
    .map((c) => ({ name: c.name, description: c.description ?? '', parameters: (c.parameters ?? EMPTY_PARAMS) as LlmTool['parameters'] }));
  return [...tools, ...extra];
}

/** A call pauses the turn when a tool rule asks for approval or the client runs the tool itself. */
export function needsApproval(solver: ToolRuleSolver, req: Pick<TurnRequest, 'clientTools'>, name: string): boolean {
  return solver.requiresApproval(name) || Boolean(req.clientTools?.some((c) => c.name === name));
}
