// Organizations' stored provider keys need MNEMO_SECRET_KEY: say so at start, not at their first turn.
import { count } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { providers } from '../db/schema/index.js';
import { byokWarning } from './config-warnings.js';

export async function logStoredProviderWarning(log: Logger, db: Db, secretKey: string | undefined): Promise<void> {
  if (secretKey) return;
  const [row] = await db.select({ n: count() }).from(providers);
  const w = byokWarning(row?.n ?? 0, secretKey);
  if (w) log.warn({ setting: w.setting }, w.message);
}
