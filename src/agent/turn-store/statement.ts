// The turn store's shared SQL pieces. Its statements are prepared once per connection (src/db/prepared-statement.ts).
import { sql } from 'drizzle-orm';

/**
 * CTE `relax`: with placeholder `relaxed` true, the statement commits without waiting for the WAL flush (a later
 * synchronous commit flushes it, the WAL being sequential). Select `(select v from relax)` so it runs.
 */
export const relaxCte = sql`relax as (select case when ${sql.placeholder('relaxed')}::boolean then set_config('synchronous_commit', 'off', true) end as v)`;
