// Splitting big writes and lookups into statements of bounded size. One statement may bind at most 65,535
// parameters (PostgreSQL's wire protocol, PGlite's too), and drizzle gathers a statement's parameters with
// `push(...params)`, which overflows the call stack at a few hundred thousand: both fail long before memory does.

/** Rows per INSERT for wide tables (messages have about 30 columns): about 15,000 parameters a statement. */
export const ROWS_PER_INSERT = 500;

/** Link rows (three or four columns: agent–block, agent–tool, group members) per INSERT. */
export const LINKS_PER_INSERT = 5_000;

/** Values per `IN (…)` list: one parameter each. */
export const IDS_PER_LOOKUP = 10_000;

/** Consecutive slices of at most `size` items, in order. */
export function* batchesOf<T>(items: readonly T[], size: number = ROWS_PER_INSERT): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Runs `fn` on each slice in turn and concatenates the results (without spreading them into one call). */
export async function inBatches<T, R>(items: readonly T[], size: number, fn: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const batch of batchesOf(items, size)) for (const r of await fn(batch)) out.push(r);
  return out;
}
