// SQL of the durable job queue. Claims are one statement (FOR UPDATE SKIP LOCKED + a lease), so any number of
// workers in any number of processes can share the table; PGlite runs the same statements in one process.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';

export type JobRow = {
  id: number;
  queue: string;
  serialKey: string | null;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
};

export type NewJob = {
  queue: string;
  payload: Record<string, unknown>;
  serialKey?: string | null;
  maxAttempts?: number;
  delayMs?: number;
  /** The organization the job acts for; required, so no job lands in the default organization by omission. */
  orgId: string;
};

const toRow = (r: Record<string, unknown>): JobRow => ({
  id: Number(r.id),
  queue: String(r.queue),
  serialKey: (r.serial_key as string | null) ?? null,
  payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  status: String(r.status),
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  lastError: (r.last_error as string | null) ?? null,
});

export async function insertJob(db: Db, job: NewJob): Promise<number> {
  const delay = `${Math.max(0, job.delayMs ?? 0)} milliseconds`;
  const rows = await queryRows(
    db,
    sql`
    INSERT INTO jobs (organization_id, queue, serial_key, payload, max_attempts, run_at)
    VALUES (${job.orgId}, ${job.queue}, ${job.serialKey ?? null}, ${JSON.stringify(job.payload)}::jsonb,
            ${job.maxAttempts ?? 3}, now() + ${delay}::interval)
    RETURNING id`,
  );
  return Number((rows[0] as { id: unknown }).id);
}

/**
 * Claims the oldest runnable job of the given queues: pending and due, or running with an expired lease (its
 * worker died). A job whose serial key has an older unfinished job waits, so one agent's work runs in order.
 */
export async function claimJob(db: Db, queues: string[], workerId: string, leaseMs: number): Promise<JobRow | null> {
  const lease = `${leaseMs} milliseconds`;
  const rows = await queryRows(
    db,
    sql`
    UPDATE jobs SET status = 'running', locked_by = ${workerId}, locked_until = now() + ${lease}::interval,
                    attempts = attempts + 1, updated_at = now()
    WHERE id = (
      SELECT j.id FROM jobs j
      WHERE j.queue IN (${sql.join(
        queues.map((q) => sql`${q}`),
        sql`, `,
      )})
        AND j.run_at <= now()
        AND (j.status = 'pending' OR (j.status = 'running' AND j.locked_until < now()))
        AND (j.serial_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM jobs k
          WHERE k.serial_key = j.serial_key AND k.id < j.id AND k.status IN ('pending', 'running')))
      ORDER BY j.id
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING *`,
  );
  const row = rows[0] as Record<string, unknown> | undefined;
  return row ? toRow(row) : null;
}

/** Extends the lease while the handler works; false when another worker has taken the job over. */
export async function extendLease(db: Db, id: number, workerId: string, leaseMs: number): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`
    UPDATE jobs SET locked_until = now() + ${`${leaseMs} milliseconds`}::interval, updated_at = now()
    WHERE id = ${id} AND locked_by = ${workerId} AND status = 'running' RETURNING id`,
  );
  return rows.length > 0;
}

export async function completeJob(db: Db, id: number, workerId: string): Promise<void> {
  await db.execute(sql`
    UPDATE jobs SET status = 'completed', locked_by = NULL, locked_until = NULL, updated_at = now()
    WHERE id = ${id} AND locked_by = ${workerId}`);
}

/** Puts a failed job back with a delay, or marks it failed for good when its attempts are spent. */
export async function failJob(db: Db, job: JobRow, workerId: string, error: string, retryDelayMs: number): Promise<void> {
  const final = job.attempts >= job.maxAttempts;
  await db.execute(sql`
    UPDATE jobs SET status = ${final ? 'failed' : 'pending'}, locked_by = NULL, locked_until = NULL,
                    last_error = ${error.slice(0, 2000)}, updated_at = now(),
                    run_at = now() + ${`${final ? 0 : retryDelayMs} milliseconds`}::interval
    WHERE id = ${job.id} AND locked_by = ${workerId}`);
}

/** Embedded database only: no other process can hold a lease, so every running job is an orphan of a crash. */
export async function releaseAllLeases(db: Db): Promise<number> {
  const rows = await queryRows(
    db,
    sql`
    UPDATE jobs SET status = 'pending', locked_by = NULL, locked_until = NULL, updated_at = now()
    WHERE status = 'running' RETURNING id`,
  );
  return rows.length;
}

export async function getJob(db: Db, id: number): Promise<JobRow | null> {
  const rows = await queryRows(db, sql`SELECT * FROM jobs WHERE id = ${id}`);
  const row = rows[0] as Record<string, unknown> | undefined;
  return row ? toRow(row) : null;
}
