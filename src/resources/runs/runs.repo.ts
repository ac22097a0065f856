// SQL for runs (one per request to an agent; arrival order = seq).
import { and, desc, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { runs } from '../../db/schema/index.js';
import { newId } from '../../ids.js';
import type { NewRun, RunInsert, RunRow } from '../../db/rows.js';

export async function createRun(db: Db, r: NewRun): Promise<RunRow> {
  const [row] = await db
    .insert(runs)
    .values({
      id: newId('run'),
      organizationId: r.orgId,
      agentId: r.agentId,
      background: r.background ?? false,
      metadata: r.metadata ?? {},
      requestConfig: r.requestConfig ?? {},
      callbackUrl: r.callbackUrl ?? null,
      conversationId: r.conversationId ?? null,
    })
    .returning();
  return row!;
}

export async function findRun(db: Db, orgId: string, id: string): Promise<RunRow | undefined> {
  const [r] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.organizationId, orgId), eq(runs.id, id)));
  return r;
}

export async function updateRun(db: Db, id: string, patch: Partial<RunInsert>): Promise<void> {
  await db
    .update(runs)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(runs.id, id));
}

export async function isCancelRequested(db: Db, id: string): Promise<boolean> {
  const [r] = await db.select({ c: runs.cancelRequested, s: runs.status }).from(runs).where(eq(runs.id, id));
  return Boolean(r?.c) || r?.s === 'cancelled';
}

export type RunFilter = { agentIds?: string[]; statuses?: string[]; background?: boolean; stopReason?: string; conversationId?: string };
export type SeqPage = { before?: string; after?: string; limit: number; order: 'asc' | 'desc' };

export async function listRuns(db: Db, orgId: string, f: RunFilter, page: SeqPage): Promise<RunRow[]> {
  const conds: (SQL | undefined)[] = [eq(runs.organizationId, orgId)];
  if (f.agentIds?.length) conds.push(inArray(runs.agentId, f.agentIds));
  if (f.statuses?.length) conds.push(inArray(runs.status, f.statuses));
  if (f.background !== undefined) conds.push(eq(runs.background, f.background));
  if (f.stopReason) conds.push(eq(runs.stopReason, f.stopReason));
  if (f.conversationId) conds.push(eq(runs.conversationId, f.conversationId));
  const cursor = (id: string) => sql`(select seq from runs where id = ${id})`;
  const fwd = page.order === 'asc' ? sql`>` : sql`<`;
  const back = page.order === 'asc' ? sql`<` : sql`>`;
  if (page.after) conds.push(sql`${runs.seq} ${fwd} ${cursor(page.after)}`);
  if (page.before) conds.push(sql`${runs.seq} ${back} ${cursor(page.before)}`);
  const reverse = Boolean(page.before && !page.after);
  const ascending = (page.order === 'asc') !== reverse;
  const rows = await db
    .select()
    .from(runs)
    .where(and(...conds))
    .orderBy(ascending ? asc(runs.seq) : desc(runs.seq))
    .limit(page.limit);
  return reverse ? rows.reverse() : rows;
}
