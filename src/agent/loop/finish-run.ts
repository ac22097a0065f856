// Closing a turn: the run's terminal status, stop reason, usage and timings, and the agent's last-run fields.
import type { Db } from '../../db/client.js';
import type { RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';
import { runStatusFor, type StopReason, type TurnUsage } from './types.js';

export type RunOutcome = { runId: string; agentId?: string; lease?: { key: string; holder: string }; stopReason: StopReason; usage: TurnUsage; durationNs: number; ttftNs?: number | null; error?: string };

/**
 * Finish parameters by number: 1 run, 2 status, 3 stop reason, 4 duration ns, 5 ttft ns, 6–11 usage, 12 error,
 * 13 agent id, 14 run ms, 15 lease key, 16 lease holder. `p` maps a number to the statement's placeholder.
 */
export type FinishParam = (i: number) => string;

/** The agent's last-run fields as SET items (merged into another update of the agent row when a statement has one). */
export const agentLastRunSet = (p: FinishParam) => `last_stop_reason = ${p(3)}, last_run_completion = now(), last_run_duration_ms = ${p(14)}::int`;

/**
 * The finish as CTEs: the run; the agent's last-run fields unless merged elsewhere (with `agentSet`, more SET items
 * for that update); the lease.
 */
export function finishCtes(p: FinishParam, o: { agent: boolean; lease: boolean; agentSet?: string }): string[] {
  const out = [`fin_run as (
      update runs set status = ${p(2)}, stop_reason = ${p(3)}, completed_at = now(), updated_at = now(),
        total_duration_ns = ${p(4)}::bigint, ttft_ns = ${p(5)}::bigint, prompt_tokens = ${p(6)}::int, completion_tokens = ${p(7)}::int,
        total_tokens = ${p(8)}::int, cached_input_tokens = ${p(9)}::int, reasoning_tokens = ${p(10)}::int, step_count = ${p(11)}::int, error = ${p(12)}::text
      where id = ${p(1)})`];
  if (o.agent) out.push(`fin_agent as (update agents set ${agentLastRunSet(p)}${o.agentSet ? `, ${o.agentSet}` : ''} where id = ${p(13)})`);
  if (o.lease) out.push(`fin_lease as (delete from leases where key = ${p(15)} and holder = ${p(16)})`);
  return out;
}

/** Every finish parameter's value, indexed by number − 1. */
export function finishValues(o: RunOutcome): unknown[] {
  const u = o.usage;
  return [o.runId, runStatusFor(o.stopReason), o.stopReason, o.durationNs, o.ttftNs ?? null, u.promptTokens, u.completionTokens,
    u.totalTokens, u.cachedInputTokens ?? null, u.reasoningTokens ?? null, u.stepCount, o.error ?? null,
    o.agentId ?? null, Math.round(o.durationNs / 1e6), o.lease?.key ?? null, o.lease?.holder ?? null];
}

/** Dense placeholders ($first, $first+1, …) for the finish parameters a statement uses. */
export function finishPlaceholders(used: number[], first: number): FinishParam {
  return (i) => {
    const at = used.indexOf(i);
    if (at < 0) throw new Error(`finish parameter ${i} is not used by this statement`);
    return `$${first + at}`;
  };
}

function finishUsed(agent: boolean, lease: boolean): number[] {
  return [...Array.from({ length: 12 }, (_, i) => i + 1), ...(agent ? [13, 14] : []), ...(lease ? [15, 16] : [])];
}

function finishText(agent: boolean, lease: boolean): { name: string; text: string } {
  const name = `mnemo_finish_${+agent}${+lease}`;
  let text = finishTexts.get(name);
  if (text) return { name, text };
  text = `with ${finishCtes(finishPlaceholders(finishUsed(agent, lease), 1), { agent, lease }).join(',\n    ')} select 1`;
  finishTexts.set(name, text);
  return { name, text };
}
const finishTexts = new Map<string, string>();

/** One statement for the run, the agent's last-run fields and the turn lease: one round trip, one commit. */
export async function finishRun(db: Db, o: RunOutcome, raw?: RawExec): Promise<void> {
  const agent = Boolean(o.agentId);
  const lease = Boolean(o.lease);
  const q = finishText(agent, lease);
  const all = finishValues(o);
  await runText(db, raw, q.name, q.text, finishUsed(agent, lease).map((i) => all[i - 1]));
}
