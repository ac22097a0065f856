// What a request needs to know about its thread before a run exists, in one statement: the agent's type, the
// thread's in-context ids (the agent's own or one conversation's) and the last in-context message (a pending
// approval request blocks new input).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import type { RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';

export type LastMessage = { id: string; role: string; hasToolCalls: boolean } | null;
export type ThreadHead = { agentType: string; contextIds: string[]; last: LastMessage };

/** $1 org, $2 agent, $3 conversation or null. */
const HEAD = `
  select a.agent_type, t.ids, m.id as last_id, m.role as last_role,
    coalesce(jsonb_typeof(m.tool_calls) = 'array' and jsonb_array_length(m.tool_calls) > 0, false) as last_calls
  from agents a
  cross join lateral (select case when $3::text is null then a.message_ids
    else (select c.message_ids from conversations c where c.id = $3 and c.organization_id = $1 and c.agent_id = a.id and c.deleted_at is null) end as ids) t
  left join messages m on cardinality(t.ids) >= 2 and m.id = t.ids[cardinality(t.ids)] and m.organization_id = $1
  where a.organization_id = $1 and a.id = $2`;

type Row = { agent_type: string; ids: string[] | null; last_id: string | null; last_role: string | null; last_calls: boolean };

/** 404 for an unknown agent, or a conversation that is not this agent's. */
export async function threadHead(db: Db, raw: RawExec | undefined, actor: Actor, agentId: string, conversationId?: string | null): Promise<ThreadHead> {
  const [r] = await runText<Row>(db, raw, 'mnemo_thread_head', HEAD, [actor.orgId, agentId, conversationId ?? null]);
  if (!r) throw notFound('Agent', agentId);
  if (!r.ids) throw notFound('Conversation', conversationId!);
  const last = r.last_id ? { id: r.last_id, role: r.last_role!, hasToolCalls: r.last_calls } : null;
  return { agentType: r.agent_type, contextIds: r.ids, last };
}
