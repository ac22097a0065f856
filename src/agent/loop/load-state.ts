// Phase 1: load what a turn works on — agent, blocks, tools, in-context messages, memory counts — in ONE statement
// (rows travel as JSON and are mapped back through the drizzle column definitions, so they equal a drizzle select;
// rows the thread already holds in an unchanged version are not shipped again).
import { getTableColumns, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agents, blocks, messages, tools } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import type { RawExec } from './hot-sql.js';
import { recallRow, rememberRow, knownVersions, setKnownVersions } from './row-versions.js';
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

export type Loaded = { agent: Record<string, unknown> | null; conv_ok: boolean; total: number; archival: number; blocks: Versioned[]; tools: Versioned[]; context: Versioned[] };

/** An agent's stored messages and archival passages, from the counts the database keeps (migrations 0004, 0007). */
const COUNTS = {
  total: (agent: string) => `coalesce((select ag.message_count::int from agents ag where ag.id = ${agent}), 0)`,
  archival: (agent: string) => `(select coalesce(sum(pc.n), 0)::int from agent_archives aa join archive_passage_counts pc on pc.archive_id = aa.archive_id where aa.agent_id = ${agent})`,
};

/**
 * Rows of one table as `[{k, r}]`: k names the row version; r is the row, or null when k is among the versions the
 * caller already holds (`known`). Without `known` every row is shipped.
 */
function versioned(alias: string, tag: string, from: string, order: string, cached: boolean): string {
  const k = `'${tag}:' || ${alias}.id || '@' || ${alias}.xmin::text || ${alias}.ctid::text`;
  const r = cached ? `case when ${k} in (select k from known) then null else to_jsonb(${alias}) end` : `to_jsonb(${alias})`;
  return `coalesce((select json_agg(json_build_object('k', ${k}, 'r', ${r})${order}) ${from}), '[]'::json)`;
}

/**
 * Every row is reached through its primary key (`pkRow`, whose `offset 0` keeps the planner from merging the lookup
 * into a join it may then drive from an organization index: before a table's first ANALYZE the planner takes that
 * index for the cheapest path and scanned every block and message of the organization, 2–4 ms a turn). The window's
 * messages come through `unnest(ids)`: the id array usually lives compressed in the agent row's TOAST, and
 * `m.id = any(ids)` would decompress it once per message row compared.
 */
const pkRow = (table: string, id: string, versioned = false, cols = '*') =>
  `(select ${cols}${versioned ? ', xmin, ctid' : ''} from ${table} where id = ${id} offset 0)`;
/** Message columns a turn reads: not the search columns (the tsvector alone is larger than the text it indexes). */
const MESSAGE_COLS = Object.values(getTableColumns(messages)).map((c) => c.name).filter((c) => !['tsv', 'embedding'].includes(c)).map((c) => `"${c}"`).join(', ');

/** Where the load's inputs are in the statement: parameter references such as `$1`. */
export type LoadParams = { org: string; agent: string; conv?: string; known?: string };

/**
 * The state load as CTEs (`known`, `a` the agent, `cv`, `ids` the window's ids, `win` its messages in order, column
 * `o`) and select columns (the `Loaded` shape); with `guard`, every column is null unless that condition holds. With
 * `known` (a JSON array of row versions) rows of a version the caller holds are shipped as null.
 */
export function loadParts(p: LoadParams, counts: boolean, guard?: string): { ctes: string[]; cols: string[] } {
  const cached = Boolean(p.known);
  const convIds = p.conv
    ? `(select c.message_ids from ${pkRow('conversations', p.conv)} c where c.organization_id = ${p.org} and c.agent_id = ${p.agent} and c.deleted_at is null)`
    : `null::text[]`;
  const ctes = [
    ...(cached ? [`known as (select value as k from json_array_elements_text(${p.known}::text::json))`] : []),
    `a as (select * from ${pkRow('agents', p.agent)} a where organization_id = ${p.org})`,
    `cv as (select ${convIds} as ids)`,
    `ids as (select case when a.message_buffer_autoclear then w.ids[1:1] else w.ids end as ids
            from a, lateral (select coalesce((select ids from cv), a.message_ids) as ids) w)`,
    `win as (select u.o, m.* from ids, unnest(ids.ids) with ordinality u(id, o), lateral ${pkRow('messages', 'u.id', true, MESSAGE_COLS)} m
            where m.organization_id = ${p.org})`,
  ];
  const g = (expr: string) => (guard ? `case when ${guard} then ${expr} end` : expr);
  const cols = [
    `${g('(select to_jsonb(a) from a)')} as agent`,
    `${p.conv ? `(select ids is not null from cv)` : `true`} as conv_ok`,
    ...(counts ? [`${g(COUNTS.total(p.agent))} as total`, `${g(COUNTS.archival(p.agent))} as archival`] : [`0 as total`, `0 as archival`]),
    `${g(versioned('b', 'b', `from agent_blocks ab, lateral ${pkRow('blocks', 'ab.block_id', true)} b where ab.agent_id = ${p.agent} and b.organization_id = ${p.org}`, ' order by b.created_at, b.id', cached))} as blocks`,
    `${g(versioned('t', 't', `from agent_tools at, lateral ${pkRow('tools', 'at.tool_id', true)} t where at.agent_id = ${p.agent}`, ' order by t.created_at, t.id', cached))} as tools`,
    `${g(versioned('m', 'm', `from win m`, ' order by m.o', cached))} as context`,
  ];
  return { ctes, cols };
}

/** $1 org, $2 agent, then $3 conversation in the conversation variant, then (cached variant) the known versions. */
function loadText(conv: boolean, counts: boolean, cached: boolean): { name: string; text: string } {
  const name = `mnemo_load_${+conv}${+counts}${+cached}`;
  let text = loadTexts.get(name);
  if (text) return { name, text };
  const { ctes, cols } = loadParts({ org: '$1', agent: '$2', conv: conv ? '$3' : undefined, known: cached ? `$${conv ? 4 : 3}` : undefined }, counts);
  text = `with ${ctes.join(',\n')}\nselect ${cols.join(',\n')}`;
  loadTexts.set(name, text);
  return { name, text };
}
const loadTexts = new Map<string, string>();

type Versioned = { k: string; r: Record<string, unknown> | null };

/** Rows from `[{k, r}]`, taking held versions from the cache; undefined when a held version was evicted meanwhile. */
function rowsOf<T extends Record<string, unknown>>(table: PgTable, list: Versioned[], cache: boolean): T[] | undefined {
  const out: T[] = [];
  for (const { k, r } of list) {
    const row = r ? fromJson<T>(table, r) : recallRow<T>(k);
    if (!row) return undefined;
    out.push(cache && r ? rememberRow(k, row) : row);
  }
  return out;
}

type LoadOptions = { counts?: boolean; raw?: RawExec; known?: string[] };

/**
 * Loads a turn's state; with `conversationId` the in-context window is that conversation's, not the agent's.
 * `counts: false` leaves the memory counts for ensureCounts, which the loop calls only when the system message must
 * be compiled afresh, so that they include the turn's own rows written so far. With `raw` (the loop's own loads,
 * never inside a transaction) rows this thread loaded before and that did not change since are not shipped again
 * (row-versions.ts).
 */
export async function loadTurnState(db: Db, actor: Actor, agentId: string, conversationId?: string | null, o: LoadOptions = {}): Promise<TurnState> {
  const counts = o.counts ?? true;
  const cached = Boolean(o.raw);
  const known = o.known ?? (cached ? knownVersions(threadKey(agentId, conversationId)) : []);
  const q = loadText(Boolean(conversationId), counts, cached);
  const values: unknown[] = conversationId ? [actor.orgId, agentId, conversationId] : [actor.orgId, agentId];
  if (cached) values.push(JSON.stringify(known));
  const [r] = await runText<Loaded>(db, o.raw, q.name, q.text, values);
  if (!r?.agent) throw notFound('Agent', agentId);
  if (!r.conv_ok) throw notFound('Conversation', conversationId!);
  return stateFromLoaded(r, agentId, conversationId, counts, cached) ?? loadTurnState(db, actor, agentId, conversationId, { ...o, known: [] });
}

/** The row versions this process holds for a thread, as the JSON parameter a cached load takes. */
export const knownParam = (agentId: string, conversationId?: string | null) => JSON.stringify(knownVersions(threadKey(agentId, conversationId)));
const threadKey = (agentId: string, conversationId?: string | null) => `${agentId}/${conversationId ?? ''}`;

/**
 * A loaded row (agent present, conversation found) as the turn's state; undefined when a row version the load
 * skipped was evicted from this process meanwhile (the caller then loads again with nothing known).
 */
export function stateFromLoaded(r: Loaded, agentId: string, conversationId: string | null | undefined, counts: boolean, cached: boolean): TurnState | undefined {
  const blockRows = rowsOf<TurnState['blocks'][number]>(blocks, r.blocks, cached);
  const toolRows = rowsOf<TurnState['tools'][number]>(tools, r.tools, cached);
  const messageRows = rowsOf<TurnState['context'][number]>(messages, r.context, cached);
  if (!blockRows || !toolRows || !messageRows) return undefined;
  if (cached) setKnownVersions(threadKey(agentId, conversationId), [...r.blocks, ...r.tools, ...r.context].map((e) => e.k));
  return {
    agent: fromJson<TurnState['agent']>(agents, r.agent!),
    conversationId: conversationId ?? null,
    blocks: blockRows,
    tools: toolRows,
    context: messageRows,
    totalMessages: Number(r.total),
    archivalCount: Number(r.archival),
    ...(counts ? {} : { countsPending: true }),
  };
}

/** Fills in the memory counts of a state loaded without them (they then include every row written so far). */
export async function ensureCounts(db: Db, state: TurnState, raw?: RawExec): Promise<void> {
  if (!state.countsPending) return;
  const c = await memoryCounts(db, state.agent.id, raw);
  state.totalMessages = c.totalMessages;
  state.archivalCount = c.archivalCount;
  state.countsPending = false;
}

/** An agent's stored messages (recall) and archival passages. */
export async function memoryCounts(db: Db, agentId: string, raw?: RawExec): Promise<{ totalMessages: number; archivalCount: number }> {
  const [r] = await runText<{ total: number; archival: number }>(db, raw, 'mnemo_load_counts', `select ${COUNTS.total('$1')} as total, ${COUNTS.archival('$1')} as archival`, [agentId]);
  return { totalMessages: Number(r?.total ?? 0), archivalCount: Number(r?.archival ?? 0) };
}
