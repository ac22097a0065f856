// Phase 1: load what a turn works on — agent, blocks, tools, in-context messages, memory counts — in ONE statement
// (rows travel as JSON and are mapped back through the drizzle column definitions, so they equal a drizzle select).
import { getTableColumns, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agents, blocks, messages, tools } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import type { RawExec } from './hot-sql.js';
import { runText } from './text-exec.js';
import type { TurnState } from './types.js';

const columnsOf = new Map<PgTable, [string, Column][]>();

/** A row serialised by `to_jsonb(t)` (snake_case, timestamps as text) → the object a drizzle select returns. */
function fromJson<T>(table: PgTable, json: Record<string, unknown>): T {
  let cols = columnsOf.get(table);
  if (!cols) columnsOf.set(table, (cols = Object.entries(getTableColumns(table))));
  const out: Record<string, unknown> = {};
  for (const [key, col] of cols) {
    const v = json[col.name];
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as T;
}

type Loaded = { agent: Record<string, unknown> | null; conv_ok: boolean; total: number; archival: number; blocks: Record<string, unknown>[]; tools: Record<string, unknown>[]; context: Record<string, unknown>[]; ids: string[] };

const countsSql = (agent: string) => `(select count(*)::int from messages m where m.agent_id = ${agent}) as total,
      (select count(*)::int from passages p join agent_archives aa on aa.archive_id = p.archive_id where aa.agent_id = ${agent}) as archival`;

/** $1 org, $2 agent, $3 conversation (only in the conversation variant). One text per variant, prepared once. */
function loadText(conv: boolean, counts: boolean): { name: string; text: string } {
  const name = `mnemo_load_${+conv}${+counts}`;
  let text = loadTexts.get(name);
  if (text) return { name, text };
  const convIds = conv
    ? `(select c.message_ids from conversations c where c.id = $3 and c.organization_id = $1 and c.agent_id = $2 and c.deleted_at is null)`
    : `null::text[]`;
  text = `
    with a as (select * from agents where organization_id = $1 and id = $2),
    cv as (select ${convIds} as ids),
    ids as (select case when a.message_buffer_autoclear then w.ids[1:1] else w.ids end as ids
            from a, lateral (select coalesce((select ids from cv), a.message_ids) as ids) w)
    select (select to_jsonb(a) from a) as agent,
      ${conv ? `(select ids is not null from cv)` : `true`} as conv_ok,
      ${counts ? countsSql('$2') : `0 as total, 0 as archival`},
      coalesce((select json_agg(to_jsonb(b) order by b.created_at, b.id) from agent_blocks ab join blocks b on b.id = ab.block_id
        where ab.agent_id = $2 and b.organization_id = $1), '[]'::json) as blocks,
      coalesce((select json_agg(to_jsonb(t) order by t.created_at, t.id) from agent_tools at join tools t on t.id = at.tool_id
        where at.agent_id = $2), '[]'::json) as tools,
      coalesce((select json_agg(to_jsonb(m)) from messages m, ids where m.organization_id = $1 and m.id = any(ids.ids)), '[]'::json) as context,
      coalesce((select ids from ids), '{}'::text[]) as ids`;
  loadTexts.set(name, text);
  return { name, text };
}
const loadTexts = new Map<string, string>();

/**
 * Loads a turn's state; with `conversationId` the in-context window is that conversation's, not the agent's.
 * `counts: false` leaves the memory counts (two scans growing with history) for ensureCounts, which the loop calls
 * only when the system message must be compiled afresh.
 */
export async function loadTurnState(db: Db, actor: Actor, agentId: string, conversationId?: string | null, o: { counts?: boolean; raw?: RawExec } = {}): Promise<TurnState> {
  const counts = o.counts ?? true;
  const q = loadText(Boolean(conversationId), counts);
  const [r] = await runText<Loaded>(db, o.raw, q.name, q.text, conversationId ? [actor.orgId, agentId, conversationId] : [actor.orgId, agentId]);
  if (!r?.agent) throw notFound('Agent', agentId);
  if (!r.conv_ok) throw notFound('Conversation', conversationId!);
  const byId = new Map(r.context.map((m) => [m.id as string, m]));
  const context = r.ids.map((id) => byId.get(id)).filter((m) => m !== undefined).map((m) => fromJson<TurnState['context'][number]>(messages, m));
  return {
    agent: fromJson<TurnState['agent']>(agents, r.agent),
    conversationId: conversationId ?? null,
    blocks: r.blocks.map((b) => fromJson<TurnState['blocks'][number]>(blocks, b)),
    tools: r.tools.map((t) => fromJson<TurnState['tools'][number]>(tools, t)),
    context,
    totalMessages: Number(r.total),
    archivalCount: Number(r.archival),
    ...(counts ? {} : { countsPending: true }),
  };
}

/** Fills in the memory counts of a state loaded without them (they then include every row written so far). */
export async function ensureCounts(db: Db, state: TurnState, raw?: RawExec): Promise<void> {
  if (!state.countsPending) return;
  const [r] = await runText<{ total: number; archival: number }>(db, raw, 'mnemo_load_counts', `select ${countsSql('$1')}`, [state.agent.id]);
  state.totalMessages = Number(r?.total ?? 0);
  state.archivalCount = Number(r?.archival ?? 0);
  state.countsPending = false;
}
