// Runs one turn of any agent on behalf of the server (groups, agent-to-agent messages, sleep-time): creates the
// run row (so it shows in the runs API) and calls the loop with the shared LoopDeps.
import type { Actor } from '../actor.js';
import { runTurn } from '../agent/run-turn.js';
import type { InputMessage, LettaMessage, LoopDeps, TurnResult } from '../agent/loop/types.js';
import { createRun } from '../resources/runs/runs.repo.js';

type AgentTurn = {
  actor: Actor;
  agentId: string;
  input: InputMessage[];
  maxSteps?: number;
  metadata?: Record<string, unknown>;
  background?: boolean;
  /** A run created earlier (at enqueue time, so a retried job finds it); none = a new run is created now. */
  runId?: string;
  /** Told the run id before the turn starts (to cancel it from outside). */
  onRun?: (runId: string) => void;
};

export type RunAgentTurn = (t: AgentTurn) => Promise<TurnResult>;

/** `loopDeps` is read lazily so the composition root can finish building it after this runner exists. */
export function createTurnRunner(loopDeps: () => LoopDeps): RunAgentTurn {
  return async (t) => {
    const deps = loopDeps();
    const runId =
      t.runId ??
      (await createRun(deps.db, { orgId: t.actor.orgId, agentId: t.agentId, background: t.background ?? true, metadata: t.metadata ?? {} }))
        .id;
    t.onRun?.(runId);
    return runTurn(deps, { actor: t.actor, agentId: t.agentId, runId, input: t.input, maxSteps: t.maxSteps });
  };
}

/** The texts an agent said to its user in a turn (assistant messages only). */
export function assistantTexts(messages: LettaMessage[]): string[] {
  return messages
    .filter((m) => m.message_type === 'assistant_message')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .filter((s) => s.length > 0);
}
