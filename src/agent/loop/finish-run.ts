// Closing a turn: the run's terminal status, stop reason, usage and timings, and the agent's last-run fields.
import type { Db } from '../../db/client.js';
import type { RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';
import { runStatusFor, type StopReason, type TurnUsage } from './types.js';

export type RunOutcome = { runId: string; agentId?: string; lease?: { key: string; holder: string }; stopReason: StopReason; usage: TurnUsage; durationNs: number; ttftNs?: number | null; error?: string };

/** $1 run, $2 status, $3 stop reason, $4 duration ns, $5 ttft ns, $6–$11 usage, $12 error; $13 agent id, $14 run ms; lease key and holder after them. */
function finishText(agent: boolean, lease: boolean): { name: string; text: string } {
  const name = `mnemo_finish_${+agent}${+lease}`;
  let text = finishTexts.get(name);
  if (text) return { name, text };
  text = `
    with r as (
      update runs set status = $2, stop_reason = $3, completed_at = now(), updated_at = now(),
        total_duration_ns = $4::bigint, ttft_ns = $5::bigint, prompt_tokens = $6::int, completion_tokens = $7::int,
        total_tokens = $8::int, cached_input_tokens = $9::int, reasoning_tokens = $10::int, step_count = $11::int, error = $12::text
      where id = $1)
    ${agent ? `, a as (update agents set last_stop_reason = $3, last_run_completion = now(), last_run_duration_ms = $14::int where id = $13)` : ''}
    ${lease ? `, l as (delete from leases where key = $${agent ? 15 : 13} and holder = $${agent ? 16 : 14})` : ''}
    select 1`;
  finishTexts.set(name, text);
  return { name, text };
}
const finishTexts = new Map<string, string>();

/** One statement for the run, the agent's last-run fields and the turn lease: one round trip, one commit. */
export async function finishRun(db: Db, o: RunOutcome, raw?: RawExec): Promise<void> {
  const u = o.usage;
  const q = finishText(Boolean(o.agentId), Boolean(o.lease));
  const values: unknown[] = [o.runId, runStatusFor(o.stopReason), o.stopReason, o.durationNs, o.ttftNs ?? null, u.promptTokens, u.completionTokens,
    u.totalTokens, u.cachedInputTokens ?? null, u.reasoningTokens ?? null, u.stepCount, o.error ?? null];
  if (o.agentId) values.push(o.agentId, Math.round(o.durationNs / 1e6));
  if (o.lease) values.push(o.lease.key, o.lease.holder);
  await runText(db, raw, q.name, q.text, values);
}
