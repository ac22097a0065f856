// Crash recovery: runs left `created`/`running` by a process that died are closed as failed, so nothing stays
// "running" forever. A run is alive while a job for it is pending or leased, or (other processes) while it holds
// a fresh turn lease or was touched recently; on the embedded database every such run is an orphan.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';

export const CRASH_REASON = 'The server stopped before this run finished (crash or restart); the run was closed as failed.';

export async function recoverOrphanRuns(db: Db, o: { singleProcess: boolean; staleMs?: number }): Promise<string[]> {
  const single = o.singleProcess;
  // Waiting runs touch updated_at every 5 s and running ones renew their turn lease every 10 s (30 s lease), so
  // 20 s without either means the process that owned the run is gone.
  const stale = `${o.staleMs ?? 20_000} milliseconds`;
  const rows = await queryRows(
    db,
    sql`
    UPDATE runs SET status = 'failed', stop_reason = 'error', error = ${CRASH_REASON},
                    metadata = metadata || jsonb_build_object('error', ${CRASH_REASON}::text), completed_at = now(), updated_at = now()
    WHERE status IN ('created', 'running')
      AND NOT EXISTS (
        SELECT 1 FROM jobs j WHERE j.payload->>'runId' = runs.id
          AND (j.status = 'pending' OR (j.status = 'running' AND (${single} OR j.locked_until > now()))))
      AND (${single} OR (
        NOT EXISTS (SELECT 1 FROM leases l WHERE l.holder = runs.id AND l.expires_at > now())
        AND runs.updated_at < now() - ${stale}::interval))
    RETURNING id`,
  );
  const ids = (rows as { id: string }[]).map((r) => r.id);
  if (ids.length > 0) {
    await db.execute(
      sql`DELETE FROM leases WHERE holder IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  }
  return ids;
}
