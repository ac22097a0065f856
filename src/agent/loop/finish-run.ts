// Closing a turn: the run's terminal status, stop reason, usage and timings, and the agent's last-run fields.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { runStatusFor, type StopReason, type TurnUsage } from './types.js';

export type RunOutcome = { runId: string; agentId?: string; lease?: { key: string; holder: string }; stopReason: StopReason; usage: TurnUsage; durationNs: number; ttftNs?: number | null; error?: string };

/** One statement for the run, the agent's last-run fields and the turn lease: one round trip, one commit. */
export async function finishRun(db: Db, o: RunOutcome): Promise<void> {
  const u = o.usage;
  const agentUpdate = o.agentId
    ? sql`, a as (update agents set last_stop_reason = ${o.stopReason}, last_run_completion = now(), last_run_duration_ms = ${Math.round(o.durationNs / 1e6)} where id = ${o.agentId})`
    : sql``;
  const leaseDelete = o.lease ? sql`, l as (delete from leases where key = ${o.lease.key} and holder = ${o.lease.holder})` : sql``;
  await db.execute(sql`
    with r as (
      update runs set status = ${runStatusFor(o.stopReason)}, stop_reason = ${o.stopReason}, completed_at = now(), updated_at = now(),
        total_duration_ns = ${o.durationNs}, ttft_ns = ${o.ttftNs ?? null}, prompt_tokens = ${u.promptTokens},
        completion_tokens = ${u.completionTokens}, total_tokens = ${u.totalTokens}, cached_input_tokens = ${u.cachedInputTokens ?? null},
        reasoning_tokens = ${u.reasoningTokens ?? null}, step_count = ${u.stepCount}, error = ${o.error ?? null}
      where id = ${o.runId})
    ${agentUpdate}
    ${leaseDelete}
    select 1`);
}
