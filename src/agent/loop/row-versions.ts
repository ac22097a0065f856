// Rows the loop has already read, by table, id and row version (xmin and ctid: an update always makes a new one),
// so a state load ships only rows that are new or changed since this thread's last load. Process-local and bounded;
// correctness never rests on it: per row, the database says whether the version held here is still current, and a
// version evicted meanwhile makes the caller load again in full.

const MAX_ROWS = 20_000; // a few hundred threads with their whole windows; rows beyond it are simply shipped again
const MAX_THREADS = 5_000;
const rows = new Map<string, Readonly<Record<string, unknown>>>();
const threads = new Map<string, string[]>();

function bound<K, V>(m: Map<K, V>, max: number): void {
  while (m.size > max) m.delete(m.keys().next().value as K);
}

/** Keeps a row version; frozen, because every later load of the thread hands out this same object. */
export function rememberRow<T extends Record<string, unknown>>(key: string, row: T): T {
  rows.delete(key);
  rows.set(key, Object.freeze(row));
  bound(rows, MAX_ROWS);
  return row;
}

/** A kept row version (refreshed as recently used), or undefined when it was evicted. */
export function recallRow<T>(key: string): T | undefined {
  const row = rows.get(key);
  if (row !== undefined) {
    rows.delete(key);
    rows.set(key, row);
  }
  return row as T | undefined;
}

/** The row versions a thread's last load saw: what the next load tells the database it already holds. */
export function knownVersions(thread: string): string[] {
  return threads.get(thread) ?? [];
}

export function setKnownVersions(thread: string, keys: string[]): void {
  threads.delete(thread);
  threads.set(thread, keys);
  bound(threads, MAX_THREADS);
}

/** Drops every kept row (the next loads ship everything again; their keys then miss and reload in full). */
export function forgetRows(): void {
  rows.clear();
}
