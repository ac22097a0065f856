// A background group run's view of its member runs: the runs it started, and cancellation, which is asked of the
// group run (POST /v1/agents/{manager}/messages/cancel with its id) and passed on to the member run in progress.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import { isCancelRequested, updateRun } from '../resources/runs/runs.repo.js';

/** Member runs started for a group run (they are always newer than it, so the seq index narrows the scan). */
export async function memberRunsOf(db: Db, parentRunId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from runs
    where seq > (select seq from runs where id = ${parentRunId}) and metadata->>'parent_run_id' = ${parentRunId}`,
  );
  return rows.map((r) => r.id);
}

export type CancelWatch = { cancelled(): boolean; track(memberRunId: string): void; stop(): void };

export function watchCancel(db: Db, parentRunId: string, pollMs = 250): CancelWatch {
  let cancelled = false;
  let current: string | null = null;
  const pass = async () => {
    if (current) await updateRun(db, current, { cancelRequested: true });
  };
  const timer = setInterval(() => {
    if (cancelled) return;
    isCancelRequested(db, parentRunId)
      .then(async (c) => {
        if (!c || cancelled) return;
        cancelled = true;
        await pass();
      })
      .catch(() => {});
  }, pollMs);
  timer.unref();
  return {
    cancelled: () => cancelled,
    track(id) {
      current = id;
      if (cancelled) void pass().catch(() => {});
    },
    stop: () => clearInterval(timer),
  };
}
