// Archival and recall memory for tools, done simply in SQL (full text via tsv, ILIKE fallback).
// The hybrid vector search lives elsewhere; swapping it in means replacing `sqlMemoryBackends` in one place.
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import type { ArchivalAccess, ArchivalHit, RecallAccess, RecallHit } from '../../tools/tool.js';
import type { MemoryAccessFactory } from '../../memory/memory-access.js';
import type { MemoryBackends } from './types.js';
import type { AgentRow } from '../../db/rows.js';

const textArray = (xs: string[]) =>
  sql`array[${sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  )}]::text[]`;
type Rows = { rows: unknown[] };
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function agentArchiveId(db: Db, actor: Actor, agent: AgentRow): Promise<string> {
  const rows = async (q: SQL) => ((await db.execute(q)) as unknown as Rows).rows;
  const found = await rows(sql`select archive_id from agent_archives where agent_id = ${agent.id} order by is_owner desc limit 1`);
  const existing = (found[0] as { archive_id?: string } | undefined)?.archive_id;
  if (existing) return existing;
  const id = newId('archive');
  await db.execute(
    sql`insert into archives (id, organization_id, name, embedding_config) values (${id}, ${actor.orgId}, ${`${agent.name}'s archive`}, ${JSON.stringify(agent.embeddingConfig ?? null)}::jsonb)`,
  );
  await db.execute(
    sql`insert into agent_archives (agent_id, archive_id, organization_id, is_owner) values (${agent.id}, ${id}, ${actor.orgId}, true)`,
  );
  return id;
}

function sqlArchival(db: Db, actor: Actor, agent: AgentRow): ArchivalAccess {
  return {
    async insert(text, tags = []) {
      const archiveId = await agentArchiveId(db, actor, agent);
      const id = newId('passage');
      await db.execute(
        sql`insert into passages (id, organization_id, archive_id, text, tags) values (${id}, ${actor.orgId}, ${archiveId}, ${text}, ${textArray(tags)})`,
      );
      return { ids: [id] };
    },
    async search(q) {
      const rows = async (x: SQL) => ((await db.execute(x)) as unknown as Rows).rows;
      const conds: SQL[] = [sql`aa.agent_id = ${agent.id}`];
      if (q.tags?.length) conds.push(q.tagMatchMode === 'all' ? sql`p.tags @> ${textArray(q.tags)}` : sql`p.tags && ${textArray(q.tags)}`);
      if (q.startDatetime) conds.push(sql`p.created_at >= ${q.startDatetime.toISOString()}`);
      if (q.endDatetime) conds.push(sql`p.created_at <= ${q.endDatetime.toISOString()}`);
      const query = q.query.trim();
      const match = query ? sql`and (p.tsv @@ websearch_to_tsquery('english', ${query}) or p.text ilike ${like(query)})` : sql``;
      const rank = query ? sql`ts_rank(p.tsv, websearch_to_tsquery('english', ${query}))` : sql`0`;
      const res = await rows(sql`
        select p.id, p.text, p.tags, p.created_at from passages p join agent_archives aa on aa.archive_id = p.archive_id
        where ${sql.join(conds, sql` and `)} ${match}
        order by ${rank} desc, p.created_at desc limit ${q.topK ?? 10}`);
      return (res as { id: string; text: string; tags: string[]; created_at: string | Date }[]).map(
        (r): ArchivalHit => ({ id: r.id, content: r.text, tags: r.tags ?? [], timestamp: new Date(r.created_at) }),
      );
    },
  };
}

function sqlRecall(db: Db, _actor: Actor, agent: AgentRow): RecallAccess {
  return {
    async search(q) {
      const rows = async (x: SQL) => ((await db.execute(x)) as unknown as Rows).rows;
      const conds: SQL[] = [sql`agent_id = ${agent.id}`, sql`role <> 'system'`];
      if (q.roles?.length)
        conds.push(
          sql`role in (${sql.join(
            q.roles.map((r) => sql`${r}`),
            sql`, `,
          )})`,
        );
      if (q.startDate) conds.push(sql`created_at >= ${q.startDate.toISOString()}`);
      if (q.endDate) conds.push(sql`created_at <= ${q.endDate.toISOString()}`);
      const query = q.query?.trim();
      if (query) conds.push(sql`(tsv @@ websearch_to_tsquery('english', ${query}) or text ilike ${like(query)})`);
      const rank = query ? sql`ts_rank(tsv, websearch_to_tsquery('english', ${query})) desc,` : sql``;
      const res = await rows(sql`
        select id, role, text, created_at from messages where ${sql.join(conds, sql` and `)}
        order by ${rank} seq desc limit ${q.limit ?? 10}`);
      return (res as { id: string; role: string; text: string; created_at: string | Date }[]).map(
        (r): RecallHit => ({ id: r.id, role: r.role, text: r.text, date: new Date(r.created_at) }),
      );
    },
  };
}

export const sqlMemoryBackends: MemoryBackends = { archival: sqlArchival, recall: sqlRecall };

/** The hybrid (vector + full text) memory of src/memory, adapted to the loop's per-agent factory shape. */
export function memoryBackendsFrom(f: MemoryAccessFactory): MemoryBackends {
  return {
    archival: (_db, actor, agent) => f.archivalFor({ agentId: agent.id, orgId: actor.orgId, timezone: agent.timezone }),
    recall: (_db, actor, agent) => f.recallFor({ agentId: agent.id, orgId: actor.orgId }),
  };
}
