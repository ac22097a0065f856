// Wiring of everything that outlives a request: the job queue and its worker, the in-process run registry, the
// send service, async-run and callback job handlers, and crash recovery of orphaned runs.
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { LoopDeps } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { recoverOrphanRuns } from '../resources/runs/recover-runs.js';
import { CALLBACK_QUEUE, createCallbackHandler } from '../resources/runs/run-callback.js';
import { asPrimary, type PrimaryGate } from '../sleeptime/primary-gate.js';
import { createRunRegistry, type RunRegistry } from './run-registry.js';
import { AGENT_RUN_QUEUE, createTurnsService, type TurnsService } from './turns.service.js';

export type LiveTurnsOptions = {
  db: Db;
  log: Logger;
  loop: LoopDeps;
  workers: number;
  singleProcess: boolean;
  primaryGate?: PrimaryGate;
  /** How callbacks are delivered: the outbound-policy fetch and the time limit of one attempt. */
  callbacks?: { fetch: typeof fetch; timeoutMs: number };
};
export type LiveTurns = { turns: TurnsService; jobs: JobQueue; runs: RunRegistry; start(): Promise<void>; stop(): Promise<void> };

export function createLiveTurns(o: LiveTurnsOptions): LiveTurns {
  const jobs = createJobQueue({
    db: o.db,
    log: o.log,
    workerId: `worker-${randomUUID()}`,
    concurrency: o.workers,
    singleProcess: o.singleProcess,
  });
  const runs = createRunRegistry();
  const turns = createTurnsService({ db: o.db, loop: o.loop, runs, jobs, log: o.log });
  // An async run is a primary turn: sleep-time companions of this process wait while it runs.
  jobs.register(AGENT_RUN_QUEUE, (payload) => asPrimary(o.primaryGate, () => turns.runAsyncJob(payload)));
  jobs.register(CALLBACK_QUEUE, createCallbackHandler({ db: o.db, log: o.log, ...o.callbacks }));
  let reaper: NodeJS.Timeout | undefined;
  return {
    turns,
    jobs,
    runs,
    async start() {
      await jobs.start();
      const closed = await recoverOrphanRuns(o.db, { singleProcess: o.singleProcess });
      if (closed.length) o.log.warn({ runs: closed }, 'closed runs orphaned by a previous crash');
      // Other processes may die too: look for their orphans now and then (they need a stale lease to qualify).
      if (!o.singleProcess) {
        reaper = setInterval(() => void recoverOrphanRuns(o.db, { singleProcess: false }).catch(() => {}), 10_000);
        reaper.unref();
      }
    },
    async stop() {
      if (reaper) clearInterval(reaper);
      await jobs.stop();
    },
  };
}
