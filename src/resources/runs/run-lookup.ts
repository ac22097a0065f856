// Run lookup by id alone (jobs run outside any request, so there is no actor to scope by).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { runs } from '../../db/schema/index.js';

export type RunLike = typeof runs.$inferSelect;

export async function findRunById(db: Db, id: string): Promise<RunLike | undefined> {
  const [r] = await db.select().from(runs).where(eq(runs.id, id));
  return r;
}
