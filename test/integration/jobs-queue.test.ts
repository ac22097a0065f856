import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DbHandle } from '../../src/db/client.js';
import { getJob } from '../../src/jobs/jobs.repo.js';
import { createJobQueue, retryDelayMs, type JobQueue } from '../../src/jobs/queue.js';
import { createTestDb } from '../support/test-db.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';

const orgId = DEFAULT_ORG_ID;

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

let dbh: DbHandle;
const queues: JobQueue[] = [];
const makeQueue = (workerId: string, extra: Partial<Parameters<typeof createJobQueue>[0]> = {}) => {
  const q = createJobQueue({ db: dbh.db, log, workerId, concurrency: 3, pollMs: 30, retryBaseMs: 20, ...extra });
  queues.push(q);
  return q;
};

beforeAll(async () => {
  dbh = await createTestDb();
});
afterAll(async () => {
  for (const q of queues) await q.stop(1000);
  await dbh?.close();
});

describe('durable job queue', () => {
  it('runs jobs of one serial key one at a time in order, other keys in parallel', async () => {
    const q = makeQueue('w-serial');
    const log: string[] = [];
    let inFlightA = 0;
    let maxInFlightA = 0;
    q.register('serial', async (p) => {
      if (p.key === 'a') maxInFlightA = Math.max(maxInFlightA, ++inFlightA);
      await sleep(30);
      log.push(`${p.key}${p.n}`);
      if (p.key === 'a') inFlightA--;
    });
    for (let n = 1; n <= 4; n++) await q.enqueue({ orgId, queue: 'serial', serialKey: 'agent-a', payload: { key: 'a', n } });
    await q.enqueue({ orgId, queue: 'serial', serialKey: 'agent-b', payload: { key: 'b', n: 1 } });
    await q.start();
    await until(() => log.length === 5);
    expect(log.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(maxInFlightA).toBe(1);
    expect(log.indexOf('b1')).toBeLessThan(log.indexOf('a4'));
    await q.stop();
  });

  it('retries a failing job with backoff and gives up after max attempts', async () => {
    const q = makeQueue('w-retry');
    const seen: number[] = [];
    q.register('flaky', async (_p, { job }) => {
      seen.push(Date.now());
      if (job.attempts < 3) throw new Error(`boom ${job.attempts}`);
    });
    q.register('broken', async () => {
      throw new Error('always');
    });
    await q.start();
    const flaky = await q.enqueue({ orgId, queue: 'flaky', payload: {}, maxAttempts: 5 });
    const broken = await q.enqueue({ orgId, queue: 'broken', payload: {}, maxAttempts: 2 });
    await until(async () => (await getJob(dbh.db, flaky))?.status === 'completed');
    await until(async () => (await getJob(dbh.db, broken))?.status === 'failed');
    expect(seen).toHaveLength(3);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(15);
    expect([1, 2, 3, 30].map((a) => retryDelayMs(a, 1000))).toEqual([1000, 2000, 4000, 300_000]);
    const b = await getJob(dbh.db, broken);
    expect(b).toMatchObject({ attempts: 2, lastError: 'always' });
    await q.stop();
  });

  it('reclaims a job whose worker died (expired lease) and runs it again', async () => {
    const [id] = await queryRows<{ id: number }>(
      dbh.db,
      sql`
        INSERT INTO jobs (queue, payload, status, attempts, locked_by, locked_until)
        VALUES ('orphan', '{"x":1}'::jsonb, 'running', 1, 'dead-worker', now() - interval '1 second') RETURNING id`,
    );
    const q = makeQueue('w-rescue');
    const got: unknown[] = [];
    q.register('orphan', async (p) => void got.push(p));
    await q.start();
    await until(async () => (await getJob(dbh.db, Number(id!.id)))?.status === 'completed');
    expect(got).toEqual([{ x: 1 }]);
    await q.stop();
  });

  it('keeps a live lease: a second worker does not steal a long job', async () => {
    const q1 = makeQueue('w-long-1', { leaseMs: 600 });
    const q2 = makeQueue('w-long-2', { leaseMs: 600 });
    let runs = 0;
    const handler = async () => {
      runs++;
      await sleep(1500);
    };
    q1.register('long', handler);
    await q1.start();
    const id = await q1.enqueue({ orgId, queue: 'long', payload: {} });
    await until(() => runs === 1);
    q2.register('long', handler);
    await q2.start();
    await until(async () => (await getJob(dbh.db, id))?.status === 'completed');
    expect(runs).toBe(1);
    await q1.stop();
    await q2.stop();
  });
});
