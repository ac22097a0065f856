// A fixed SQL statement with named parameters (`sql.placeholder`): on PostgreSQL a named prepared statement (parsed
// once per connection); on PGlite a parameterised query, which the client keeps prepared by its text (pglite-prepared.ts).
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';

const dialect = new PgDialect();

type Prepared<R> = { execute(values: Record<string, unknown>): Promise<{ rows: R[] }> };

export type Statement<R> = (db: Db, values: Record<string, unknown>) => Promise<R[]>;

/** `name` must be unique per statement text (PostgreSQL keeps prepared statements by name per connection). */
export function statement<R>(name: string, query: SQL): Statement<R> {
  const q = dialect.sqlToQuery(query);
  const prepared = new WeakMap<Db, Prepared<R>>();
  return async (db, values) => {
    let p = prepared.get(db);
    if (!p) {
      p = db._.session.prepareQuery<{ execute: { rows: R[] }; all: unknown; values: unknown }>(q, undefined, name, false);
      prepared.set(db, p);
    }
    return (await p.execute(values)).rows;
  };
}

/**
 * CTE `relax`: with placeholder `relaxed` true, the statement commits without waiting for the WAL flush (a later
 * synchronous commit flushes it, the WAL being sequential). Select `(select v from relax)` so it runs.
 */
export const relaxCte = sql`relax as (select case when ${sql.placeholder('relaxed')}::boolean then set_config('synchronous_commit', 'off', true) end as v)`;
