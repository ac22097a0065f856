// Autovacuum for the embedded database. PGlite runs PostgreSQL in single-user mode, without autovacuum, so nothing
// ever runs ANALYZE or VACUUM: a table that grew from empty is planned as if it were still empty (an archive of
// thousands of passages gets an exact scan instead of its HNSW index), dead rows pile up, and without a visibility
// map an index-only scan still reads every heap page. This applies autovacuum's default thresholds.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from './client.js';
import { queryRows } from './client.js';

/**
 * Tables past one of autovacuum's default thresholds: dead rows (50 + 20% of the table) or rows inserted (1000 + 20%)
 * since the last VACUUM call for `vacuum (analyze)`; rows changed since the last ANALYZE (50 + 10%) for `analyze`.
 */
const dueTables = sql`
  select format('%I.%I', s.schemaname, s.relname) as name,
    (s.n_dead_tup > 50 + 0.2 * n.rows or s.n_ins_since_vacuum > 1000 + 0.2 * n.rows) as vacuum
  from pg_stat_user_tables s join pg_class c on c.oid = s.relid, lateral (select greatest(c.reltuples, 0) as rows) n
  where s.n_dead_tup > 50 + 0.2 * n.rows or s.n_ins_since_vacuum > 1000 + 0.2 * n.rows
    or s.n_mod_since_analyze > 50 + 0.1 * n.rows
  order by s.n_mod_since_analyze desc`;

/** Vacuums and/or analyzes every table past a threshold; returns their names. */
export async function analyzeChangedTables(db: Db): Promise<string[]> {
  const due = await queryRows<{ name: string; vacuum: boolean }>(db, dueTables);
  for (const t of due) await db.execute(sql.raw(t.vacuum ? `vacuum (analyze) ${t.name}` : `analyze ${t.name}`));
  return due.map((t) => t.name);
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
