// Fixed statement texts with positional parameters, run either as named prepared statements (LoopDeps.raw: parsed and
// planned once per connection) or, on a transaction or a handle without a raw executor, through drizzle.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { RawExec } from './hot-sql.js';

const chunksOf = new Map<string, (string | number)[]>();

/** `... $2 ... $1 ...` → literal chunks and parameter indexes, once per text. */
function split(text: string): (string | number)[] {
  let parts = chunksOf.get(text);
  if (!parts) {
    parts = text.split(/\$(\d+)/).map((p, i) => (i % 2 ? Number(p) - 1 : p));
    chunksOf.set(text, parts);
  }
  return parts;
}

/** The same statement as a drizzle `sql` object (each placeholder becomes a bound parameter). */
export function textToSql(text: string, values: unknown[]): SQL {
  return sql.join(split(text).map((p) => (typeof p === 'number' ? sql.param(values[p]) : sql.raw(p))));
}

/** Runs a named fixed text: prepared through `raw` when given, else through drizzle on `db`. */
export function runText<T>(db: Db, raw: RawExec | undefined, name: string, text: string, values: unknown[]): Promise<T[]> {
  return raw ? raw<T>(name, text, values) : queryRows<T>(db, textToSql(text, values));
}
