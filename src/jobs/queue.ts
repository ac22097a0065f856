// Durable background work: enqueue into the `jobs` table, a worker loop claims with a lease, runs the handler
// registered for the job's queue, and retries failures with exponential backoff. A crashed worker's jobs are
// reclaimed once their lease expires (or at once on the embedded database, where no other process exists).
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { claimJob, completeJob, extendLease, failJob, insertJob, releaseAllLeases, type JobRow, type NewJob } from './jobs.repo.js';

export type JobContext = { job: JobRow; signal: AbortSignal; log: Logger };
export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;

export type JobQueueOptions = {
  db: Db;
  log: Logger;
  workerId: string;
  concurrency: number;
  /** How often an idle worker looks for due jobs (enqueue in this process wakes it at once). */
  pollMs?: number;
  leaseMs?: number;
  /** Base delay of the exponential retry backoff. */
  retryBaseMs?: number;
  /** True on the embedded database: all leases found at start belong to a dead process. */
  singleProcess?: boolean;
};

export type JobQueue = {
  register(queue: string, handler: JobHandler): void;
  /** Inserts a job (pass a transaction as `db` to enqueue atomically with other writes). */
  enqueue(job: NewJob, db?: Db): Promise<number>;
  start(): Promise<void>;
  /** Stops claiming, aborts running handlers' signals and waits for them (bounded). */
  stop(timeoutMs?: number): Promise<void>;
  /** Wakes the worker loop (after an enqueue committed elsewhere). */
  kick(): void;
};

export const retryDelayMs = (attempt: number, baseMs: number): number => Math.min(baseMs * 2 ** (attempt - 1), 5 * 60_000);

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const handlers = new Map<string, JobHandler>();
  const active = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 30_000;
  let running = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;

  const kick = () => {
    wake?.();
    wake = null;
  };
  const idle = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers.get(job.queue)!;
    const ac = new AbortController();
    controllers.add(ac);
    const log = opts.log.child({ jobId: job.id, queue: job.queue });
    const beat = setInterval(
      () => {
        extendLease(opts.db, job.id, opts.workerId, leaseMs)
          .then((mine) => (mine ? undefined : ac.abort(new Error('lease lost'))))
          .catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      await handler(job.payload, { job, signal: ac.signal, log });
      await completeJob(opts.db, job.id, opts.workerId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ err: message, attempt: job.attempts }, 'job failed');
      await failJob(opts.db, job, opts.workerId, message, retryDelayMs(job.attempts, opts.retryBaseMs ?? 1000)).catch((e) =>
        log.error({ err: String(e) }, 'could not record job failure'),
      );
    } finally {
      clearInterval(beat);
      controllers.delete(ac);
    }
  }

  async function claimMore(): Promise<boolean> {
    let claimed = false;
    while (running && active.size < opts.concurrency) {
      const job = await claimJob(opts.db, [...handlers.keys()], opts.workerId, leaseMs);
      if (!job) break;
      claimed = true;
      const p: Promise<void> = runOne(job).finally(() => {
        active.delete(p);
        kick();
      });
      active.add(p);
    }
    return claimed;
  }

  async function workLoop(): Promise<void> {
    while (running) {
      try {
        if (handlers.size > 0) await claimMore();
      } catch (err) {
        if (!running) break;
        opts.log.error({ err: String(err) }, 'job claim failed');
      }
      if (running) await idle();
    }
  }

  return {
    register: (queue, handler) => void handlers.set(queue, handler),
    async enqueue(job, db) {
      const id = await insertJob(db ?? opts.db, job);
      kick();
      return id;
    },
    async start() {
      if (running || opts.concurrency <= 0) return;
      if (opts.singleProcess) await releaseAllLeases(opts.db);
      running = true;
      loop = workLoop();
    },
    async stop(timeoutMs = 5000) {
      running = false;
      kick();
      for (const ac of controllers) ac.abort(new Error('server shutting down'));
      const all = Promise.allSettled([loop, ...active]);
      await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs))]);
    },
    kick,
  };
}
