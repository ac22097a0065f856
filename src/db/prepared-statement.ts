// A fixed SQL statement with named parameters (`sql.placeholder`), prepared once per connection: on PostgreSQL a named
// prepared statement of drizzle's; on PGlite one of its session (pglite-prepared.ts); inside a PGlite transaction a
// parameterised query.
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import type { PgliteClient } from './pglite-client.js';

const dialect = new PgDialect();

type Prepared<R> = { execute(values: Record<string, unknown>): Promise<{ rows: R[] }> };

export type Statement<R> = (db: Db, values: Record<string, unknown>) => Promise<R[]>;

/** The PGlite client behind `db`, unless `db` is a transaction (whose handle cannot run prepared statements). */
function pgliteOf(db: Db): PgliteClient | undefined {
  const client = (db._.session as unknown as { client?: Partial<PgliteClient> }).client;
  return typeof client?.prepared === 'function' ? (client as PgliteClient) : undefined;
}

/** `name` must be unique per statement text (the database keeps prepared statements by name per connection). */
export function statement<R>(name: string, query: SQL): Statement<R> {
  const q = dialect.sqlToQuery(query);
  const prepared = new WeakMap<Db, Prepared<R>>();
  return async (db, values) => {
    const lite = pgliteOf(db);
    if (lite) return (await lite.prepared<R>(name, q.sql, fillPlaceholders(q.params, values))).rows;
    let p = prepared.get(db);
    if (!p) {
      p = db._.session.prepareQuery<{ execute: { rows: R[] }; all: unknown; values: unknown }>(q, undefined, name, false);
      prepared.set(db, p);
    }
    return (await p.execute(values)).rows;
  };
}
