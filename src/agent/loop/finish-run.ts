// Closing a turn: the run's terminal status, stop reason, usage and timings, and the agent's last-run fields.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agents, runs } from '../../db/schema/index.js';
import { runStatusFor, type StopReason, type TurnUsage } from './types.js';

export type RunOutcome = { runId: string; agentId?: string; stopReason: StopReason; usage: TurnUsage; durationNs: number; ttftNs?: number | null; error?: string };

export async function finishRun(db: Db, o: RunOutcome): Promise<void> {
  await db
    .update(runs)
    .set({
      status: runStatusFor(o.stopReason),
      stopReason: o.stopReason,
      completedAt: sql`now()`,
      updatedAt: sql`now()`,
      totalDurationNs: o.durationNs,
      ttftNs: o.ttftNs ?? null,
      promptTokens: o.usage.promptTokens,
      completionTokens: o.usage.completionTokens,
      totalTokens: o.usage.totalTokens,
      cachedInputTokens: o.usage.cachedInputTokens ?? null,
      reasoningTokens: o.usage.reasoningTokens ?? null,
      stepCount: o.usage.stepCount,
      error: o.error ?? null,
    })
    .where(eq(runs.id, o.runId));
  if (o.agentId) {
    await db
      .update(agents)
      .set({ lastStopReason: o.stopReason, lastRunCompletion: sql`now()`, lastRunDurationMs: Math.round(o.durationNs / 1e6) })
      .where(eq(agents.id, o.agentId));
  }
}
