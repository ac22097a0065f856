// What a request needs to know about its thread before a run exists, in one statement: the agent's type, the
// thread's in-context ids (the agent's own or one conversation's) and the last in-context message (a pending
// approval request blocks new input).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { sql } from 'drizzle-orm';
import { statement } from '../turn-store/statement.js';

export type LastMessage = { id: string; role: string; hasToolCalls: boolean } | null;
export type ThreadHead = { agentType: string; contextIds: string[]; last: LastMessage };

type Row = { agent_type: string; ids: string[] | null; last_id: string | null; last_role: string | null; last_calls: boolean };

const org = sql.placeholder('org');
const conv = sql.placeholder('conv');
const head = statement<Row>(
  'mnemo_thread_head',
  sql`
  select a.agent_type, t.ids, m.id as last_id, m.role as last_role,
    coalesce(jsonb_typeof(m.tool_calls) = 'array' and jsonb_array_length(m.tool_calls) > 0, false) as last_calls
  from agents a
  cross join lateral (select case when ${conv}::text is null then a.message_ids
    else (select c.message_ids from conversations c where c.id = ${conv}::text and c.organization_id = ${org}::text and c.agent_id = a.id
      and c.deleted_at is null) end as ids) t
  left join messages m on cardinality(t.ids) >= 2 and m.id = t.ids[cardinality(t.ids)] and m.organization_id = ${org}::text
  where a.organization_id = ${org}::text and a.id = ${sql.placeholder('agent')}::text`,
);

/** 404 for an unknown agent, or a conversation that is not this agent's. */
export async function threadHead(db: Db, actor: Actor, agentId: string, conversationId?: string | null): Promise<ThreadHead> {
  const [r] = await head(db, { org: actor.orgId, agent: agentId, conv: conversationId ?? null });
  if (!r) throw notFound('Agent', agentId);
  if (!r.ids) throw notFound('Conversation', conversationId ?? '');
  const last = r.last_id ? { id: r.last_id, role: r.last_role ?? '', hasToolCalls: r.last_calls } : null;
  return { agentType: r.agent_type, contextIds: r.ids, last };
}
