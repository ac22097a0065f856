// Exactly-once delivery for jobs whose run was created before the job ran (at enqueue time, or by an earlier
// attempt). A job can run twice: its worker crashed after the turn and before the job was marked done, or a lease
// expired and another worker took it over. Before (re)starting the turn, the job asks what its run says.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { updateRun } from './runs.repo.js';
import { findRunById } from './run-lookup.js';

export const TERMINAL_RUN_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export const INTERRUPTED_AFTER_DELIVERY =
  'The run was interrupted after its input had been delivered; it was closed instead of delivering the input twice.';

/**
 * 'start': nothing of the run was done yet (still `created`, or `running` but its input never got stored), so the
 * turn may run now with this run id. 'skip': finished, gone, still running under a live turn lease, or interrupted
 * after its input was stored (then the run is closed as failed: delivering again would repeat the message).
 */
export async function resumeRun(db: Db, runId: string): Promise<'start' | 'skip'> {
  const run = await findRunById(db, runId);
  if (!run || TERMINAL_RUN_STATUSES.has(run.status)) return 'skip';
  if (run.status === 'created' && !run.cancelRequested) return 'start';
  const [r] = await queryRows<{ live: boolean; delivered: boolean }>(
    db,
    sql`select
      exists (select 1 from leases where holder = ${runId} and expires_at > now()) as live,
      exists (select 1 from messages where run_id = ${runId}) as delivered`,
  );
  if (r?.live) return 'skip';
  if (run.cancelRequested) {
    await updateRun(db, runId, { status: 'cancelled', stopReason: 'cancelled', completedAt: new Date() });
    return 'skip';
  }
  if (!r?.delivered) return 'start';
  await db.execute(sql`update runs set status = 'failed', stop_reason = 'error', error = ${INTERRUPTED_AFTER_DELIVERY},
      metadata = metadata || jsonb_build_object('error', ${INTERRUPTED_AFTER_DELIVERY}::text), completed_at = now(), updated_at = now()
    where id = ${runId}`);
  return 'skip';
}
