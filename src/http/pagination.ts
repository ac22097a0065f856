// Order-relative cursor pagination over (created_at, id), as the SDK's ArrayPage expects.
import { and, asc, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

export type Page = { before?: string; after?: string; limit: number; order: 'asc' | 'desc' };

type Keyed = { table: PgTable; createdAt: PgColumn; id: PgColumn };

/**
 * Conditions and ordering for one page. `after` means "further along the requested order", `before` the
 * opposite. The cursor row is looked up by a subquery in the same statement; an unknown cursor yields an
 * empty page, which ends the SDK's auto-pagination instead of looping.
 */
export function pageClauses(k: Keyed, page: Page): { where: SQL | undefined; orderBy: SQL[]; reverse: boolean } {
  const cursorRow = (id: string) => sql`(select ${k.createdAt}, ${k.id} from ${k.table} where ${k.id} = ${id})`;
  const conds: SQL[] = [];
  const forward = page.order === 'asc' ? sql`>` : sql`<`;
  const backward = page.order === 'asc' ? sql`<` : sql`>`;
  if (page.after) conds.push(sql`(${k.createdAt}, ${k.id}) ${forward} ${cursorRow(page.after)}`);
  if (page.before) conds.push(sql`(${k.createdAt}, ${k.id}) ${backward} ${cursorRow(page.before)}`);
  // With only `before`, take the rows nearest the cursor, then flip them back into the requested order.
  const reverse = Boolean(page.before && !page.after);
  const dirAsc = (page.order === 'asc') !== reverse;
  const orderBy = dirAsc ? [asc(k.createdAt), asc(k.id)] : [desc(k.createdAt), desc(k.id)];
  return { where: conds.length ? and(...conds) : undefined, orderBy, reverse };
}

export function toPage(
  q: { before?: string; after?: string; limit?: number; order?: 'asc' | 'desc' },
  defaults: { limit: number; order: 'asc' | 'desc' },
): Page {
  return { before: q.before, after: q.after, limit: q.limit ?? defaults.limit, order: q.order ?? defaults.order };
}

export function finishPage<T>(rows: T[], reverse: boolean): T[] {
  return reverse ? rows.reverse() : rows;
}

/** Cursor pagination over a small in-memory list already in ascending order (an agent's blocks, tools…). */
export function pageArray<T extends { id: string }>(
  items: T[],
  q: { before?: string; after?: string; limit?: number; order?: 'asc' | 'desc' },
  defaults: { limit: number; order: 'asc' | 'desc' },
): T[] {
  const order = q.order ?? defaults.order;
  let list = order === 'asc' ? [...items] : [...items].reverse();
  if (q.after) {
    const i = list.findIndex((x) => x.id === q.after);
    list = i < 0 ? [] : list.slice(i + 1);
  }
  if (q.before) {
    const i = list.findIndex((x) => x.id === q.before);
    list = i < 0 ? [] : list.slice(0, i);
    return list.slice(Math.max(0, list.length - (q.limit ?? defaults.limit)));
  }
  return list.slice(0, q.limit ?? defaults.limit);
}
