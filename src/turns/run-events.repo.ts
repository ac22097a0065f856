// The stored chunk log of a run (run_events): background streams write every chunk here with an increasing
// seq_id so a client, in this or another process, can replay it and follow it live.
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { runEvents, runs } from '../db/schema/index.js';

export type RunEvent = { seqId: number; payload: Record<string, unknown> };

export async function appendRunEvent(db: Db, runId: string, seqId: number, payload: Record<string, unknown>): Promise<void> {
  await db.insert(runEvents).values({ runId, seqId, payload });
}

export async function readRunEvents(db: Db, runId: string, afterSeq: number, limit: number): Promise<RunEvent[]> {
  const rows = await db
    .select({ seqId: runEvents.seqId, payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seqId, afterSeq)))
    .orderBy(asc(runEvents.seqId))
    .limit(limit);
  return rows;
}

export async function runStatus(db: Db, runId: string): Promise<string | undefined> {
  const [r] = await db.select({ s: runs.status }).from(runs).where(eq(runs.id, runId));
  return r?.s;
}
