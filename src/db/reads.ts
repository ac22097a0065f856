// Independent reads run together on a pool, but one after another inside a transaction: a transaction holds one
// connection, which takes one query at a time (node-postgres queues the rest and will refuse them from pg 9 on).
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

type Results<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

export async function readAll<const T extends readonly (() => unknown)[]>(db: Db, reads: T): Promise<Results<T>> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(reads.map((r) => r()))) as Results<T>;
  const out: unknown[] = [];
  for (const r of reads) out.push(await r());
  return out as Results<T>;
}

/** `readAll` over one read per item. */
export async function readEach<I, R>(db: Db, items: readonly I[], read: (item: I) => Promise<R>): Promise<R[]> {
  return readAll(
    db,
    items.map((i) => () => read(i)),
  ) as Promise<R[]>;
}
