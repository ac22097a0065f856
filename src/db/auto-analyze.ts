// Planner statistics for the embedded database. PGlite runs PostgreSQL in single-user mode, without autovacuum, so
// nothing ever runs ANALYZE: a table that grew from empty is planned as if it were still empty (an archive of
// thousands of passages gets an exact scan instead of its HNSW index). This does autovacuum's analyze part.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from './client.js';
import { queryRows } from './client.js';

/** Tables changed by more than autovacuum's default analyze threshold (50 rows + 10% of the table) since their last ANALYZE. */
const changedTables = sql`
  select format('%I.%I', s.schemaname, s.relname) as name
  from pg_stat_user_tables s join pg_class c on c.oid = s.relid
  where s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
  order by s.n_mod_since_analyze desc`;

/** Analyzes every table over the threshold; returns their names. */
export async function analyzeChangedTables(db: Db): Promise<string[]> {
  const names = (await queryRows<{ name: string }>(db, changedTables)).map((r) => r.name);
  for (const name of names) await db.execute(sql.raw(`analyze ${name}`));
  return names;
}

export type AutoAnalyze = { stop(): void };

/** Checks every `everyMs` (one cheap catalog query); a failure is logged and retried at the next check. */
export function startAutoAnalyze(db: Db, log: Logger, everyMs: number): AutoAnalyze {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    analyzeChangedTables(db)
      .then((names) => {
        if (names.length > 0) log.debug({ tables: names }, 'analyzed');
      })
      .catch((err: unknown) => log.warn({ err }, 'analyzing changed tables failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
