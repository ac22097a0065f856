// Rows the loop has already read, by table, id and row version (xmin and ctid: an update always makes a new one),
// so a state load ships only rows that are new or changed since this thread's last load. Process-local and bounded;
// correctness never rests on it: per row, the database says whether the version held here is still current, and a
// version evicted meanwhile makes the caller load again in full.

import { LRUCache } from 'lru-cache';

export const MAX_ROWS = 20_000; // a few hundred threads with their whole windows; rows beyond it are shipped again
export const MAX_THREADS = 5_000;
/** Bound on the kept rows' estimated size (characters of their text fields), whatever their number. */
export const MAX_ROW_CHARS = 64 * 1024 * 1024;
// lru-cache rather than a Map refreshed by delete + set: once a Map is full, that churn made every recall cost
// microseconds (tens per turn), more than the rest of the load's JavaScript.
const rows = new LRUCache<string, Readonly<Record<string, unknown>>>({ max: MAX_ROWS, maxSize: MAX_ROW_CHARS, sizeCalculation: rowChars });
const threads = new LRUCache<string, string[]>({ max: MAX_THREADS });

/** A cheap size estimate: characters of the row's strings, one level into its JSON values, plus a fixed overhead. */
function rowChars(row: Readonly<Record<string, unknown>>): number {
  let n = 256;
  for (const v of Object.values(row)) n += valueChars(v, 1);
  return n;
}

function valueChars(v: unknown, depth: number): number {
  if (typeof v === 'string') return v.length;
  if (!v || typeof v !== 'object' || depth > 3) return 16;
  let n = 16;
  for (const x of Array.isArray(v) ? v : Object.values(v)) n += valueChars(x, depth + 1);
  return n;
}

/** Entries and estimated characters held, for tests and diagnostics. */
export function rowCacheSizes() {
  return { rows: rows.size, rowChars: rows.calculatedSize, threads: threads.size };
}

/** Keeps a row version; frozen, because every later load of the thread hands out this same object. */
export function rememberRow<T extends Record<string, unknown>>(key: string, row: T): T {
  rows.set(key, Object.freeze(row));
  return row;
}

/** A kept row version (refreshed as recently used), or undefined when it was evicted. */
export function recallRow<T>(key: string): T | undefined {
  return rows.get(key) as T | undefined;
}

/** The row versions a thread's last load saw: what the next load tells the database it already holds. */
export function knownVersions(thread: string): string[] {
  return threads.get(thread) ?? [];
}

export function setKnownVersions(thread: string, keys: string[]): void {
  threads.set(thread, keys);
}

/** Drops every kept row (the next loads ship everything again; their keys then miss and reload in full). */
export function forgetRows(): void {
  rows.clear();
}
