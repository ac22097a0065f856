// Zod helpers for Letta/Stainless query strings: repeated keys, `key=` meaning null, booleans as text.
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/** `tags=a&tags=b`, `tags=a`, or comma-separated `tags=a,b` → string[]. */
export const queryArray = (opts: { commaSeparated?: boolean } = {}) =>
  z.preprocess((v) => {
    const raw = emptyToUndefined(v);
    if (raw === undefined) return undefined;
    const list = (Array.isArray(raw) ? raw : [raw]).map(String).filter((s) => s !== '');
    return opts.commaSeparated
      ? list.flatMap((s) =>
          s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        )
      : list;
  }, z.array(z.string()).optional());

export const queryBool = () =>
  z.preprocess((v) => {
    const raw = emptyToUndefined(v);
    if (raw === undefined) return undefined;
    if (raw === true || raw === 'true' || raw === '1') return true;
    if (raw === false || raw === 'false' || raw === '0') return false;
    return raw;
  }, z.boolean({ message: 'must be true or false' }).optional());

export const queryInt = (min: number, max: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional());

export const queryString = () => z.preprocess(emptyToUndefined, z.string().optional());

export const pageQuery = (maxLimit = 1000) => ({
  before: queryString(),
  after: queryString(),
  limit: queryInt(1, maxLimit),
  order: z.preprocess(emptyToUndefined, z.enum(['asc', 'desc']).optional()),
  order_by: queryString(),
});

export type PageQuery = { before?: string; after?: string; limit?: number; order?: 'asc' | 'desc' };
