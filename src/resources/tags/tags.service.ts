// The distinct tags used by the organization's agents; the cursor is the tag name itself.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { queryInt, queryString } from '../../http/query.js';

export const TagsQuery = z.object({
  after: queryString(),
  before: queryString(),
  limit: queryInt(1, 1000),
  name: queryString(),
  query_text: queryString(),
  order: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['asc', 'desc']).optional()),
  order_by: queryString(),
});
export type TagsQuery = z.infer<typeof TagsQuery>;

async function listTags(db: Db, orgId: string, q: TagsQuery): Promise<string[]> {
  const desc = q.order === 'desc';
  const text = q.query_text ?? q.name;
  const rows = await queryRows<{ tag: string }>(
    db,
    sql`
    SELECT DISTINCT t.tag FROM agents a, unnest(a.tags) AS t(tag)
    WHERE a.organization_id = ${orgId}
      ${text ? sql`AND t.tag ILIKE ${`%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}` : sql``}
      ${q.after ? (desc ? sql`AND t.tag < ${q.after}` : sql`AND t.tag > ${q.after}`) : sql``}
      ${q.before ? (desc ? sql`AND t.tag > ${q.before}` : sql`AND t.tag < ${q.before}`) : sql``}
    ORDER BY t.tag ${desc ? sql`DESC` : sql`ASC`}
    LIMIT ${q.limit ?? 50}`,
  );
  return rows.map((r) => r.tag);
}

export function createTagsService(deps: { db: Db }) {
  return { list: (actor: Actor, q: TagsQuery) => listTags(deps.db, actor.orgId, q) };
}
export type TagsService = ReturnType<typeof createTagsService>;
