// A turn's state in one statement: agent, blocks, tools, the thread's in-context messages and the memory counts;
// optionally storing the turn's input after that window in the same statement. Rows travel as JSON and are mapped
// back through the drizzle column definitions, so they equal a drizzle select.
import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agents, blocks, messages, tools } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import type { BlockRow, MessageInsert, MessageRow, ToolRow } from '../../db/rows.js';
import type { TurnState } from '../turn-types.js';
import { heldKeys, NO_ROWS, type HeldRows } from './held-rows.js';
import { claimParts } from './lease.js';
import { relaxCte, statement } from './statement.js';
import { type Filled, inputWrites, messagesJson, storedRows } from './message-json.js';

const columnsOf = new Map<PgTable, [string, Column][]>();

/** A row serialised by `to_jsonb(t)` (snake_case, timestamps as text) → the object a drizzle select returns. */
function fromJson<T>(table: PgTable, json: Record<string, unknown>): T {
  let cols = columnsOf.get(table);
  if (!cols) {
    cols = Object.entries(getTableColumns(table));
    columnsOf.set(table, cols);
  }
  const out: Record<string, unknown> = {};
  for (const [k, col] of cols) {
    const v = json[col.name];
    out[k] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as T;
}

type Json = Record<string, unknown>;
type Loaded = {
  agent: Json | null;
  conv_ok: boolean;
  archival: number;
  blocks: Json[];
  tools: Json[];
  context: Json[];
  filled: Filled[];
};

const org = sql.placeholder('org');
const agent = sql.placeholder('agent');
const conv = sql.placeholder('conv');

/**
 * Every row is reached through its primary key (`offset 0` keeps the planner from merging the lookup into a join it
 * may drive from an organization index before the first ANALYZE). The window comes through `unnest(ids)`, which
 * reads the (often TOASTed) id array once.
 */
const pkRow = (table: string, id: SQL, cols = sql`*`) => sql`(select ${cols} from ${sql.raw(table)} where id = ${id} offset 0)`;
/** Message columns a turn reads: not the search columns (the tsvector alone is larger than the text it indexes). */
const MESSAGE_COLS = sql.raw(
  Object.values(getTableColumns(messages))
    .map((c) => c.name)
    .filter((c) => c !== 'tsv' && c !== 'embedding')
    .map((c) => `"${c}"`)
    .join(', '),
);
/** A row's version key, `id:xmin` (held-rows.ts). */
const versioned = (cols: SQL) => sql`${cols}, xmin::text as row_version`;
/** Row `alias` in full, or only its key when the thread already holds that version (placeholder `held`). */
const shipped = (alias: string) => {
  const a = sql.raw(alias);
  const key = sql`(${a}.id || ':' || ${a}.row_version)`;
  return sql`case when ${key} = any((select keys from hk)::text[]) then jsonb_build_object('held', ${key}) else to_jsonb(${a}) end`;
};

/**
 * The load's CTEs (go, a, cv, ids, win) and its columns. `ready` gates the whole load (the claim loads only once it
 * holds the lease); it is evaluated once, in `go`. The reads are scalar subqueries, evaluated only when their CASE
 * branch is taken.
 */
function loadParts(inConversation: boolean, ready: SQL = sql`true`) {
  const convIds = inConversation
    ? sql`(select c.message_ids from ${pkRow('conversations', sql`${conv}::text`)} c where c.organization_id = ${org}::text and c.agent_id = ${agent}::text and c.deleted_at is null)`
    : sql`null::text[]`;
  const go = sql`(select ok from go)`;
  const when = (x: SQL, dflt: SQL) => sql`case when ${go} then ${x} else ${dflt} end`;
  const ctes = sql`go as (select ${ready} as ok),
    a as (select * from ${pkRow('agents', sql`${agent}::text`)} a where organization_id = ${org}::text and ${go}),
    cv as (select ${convIds} as ids),
    ids as (select case when a.message_buffer_autoclear then w.ids[1:1] else w.ids end as ids
            from a, lateral (select coalesce((select ids from cv), a.message_ids) as ids) w),
    win as (select u.o, m.* from ids, unnest(ids.ids) with ordinality u(id, o), lateral ${pkRow('messages', sql`u.id`, versioned(MESSAGE_COLS))} m
            where m.organization_id = ${org}::text),
    hk as (select array(select json_array_elements_text(${sql.placeholder('held')}::text::json)) as keys)`;
  const convOk = inConversation ? sql`(select ids is not null from cv)` : sql`true`;
  const columns = sql`(select to_jsonb(a) from a) as agent, ${convOk} as conv_ok,
      ${when(sql`(select coalesce(sum(pc.n), 0)::int from agent_archives aa join archive_passage_counts pc on pc.archive_id = aa.archive_id where aa.agent_id = ${agent}::text)`, sql`0`)} as archival,
      ${when(
        sql`coalesce((select json_agg(${shipped('b')} order by b.created_at, b.id) from agent_blocks ab, lateral ${pkRow('blocks', sql`ab.block_id`, versioned(sql`*`))} b
        where ab.agent_id = ${agent}::text and b.organization_id = ${org}::text), '[]'::json)`,
        sql`'[]'::json`,
      )} as blocks,
      ${when(
        sql`coalesce((select json_agg(${shipped('t')} order by t.created_at, t.id) from agent_tools at, lateral ${pkRow('tools', sql`at.tool_id`, versioned(sql`*`))} t
        where at.agent_id = ${agent}::text), '[]'::json)`,
        sql`'[]'::json`,
      )} as tools,
      coalesce((select json_agg(${shipped('m')} order by m.o) from win m), '[]'::json) as context`;
  // The input joins the thread only when the agent (and conversation) were found: after the window just read.
  const input = inputWrites(sql`exists (select 1 from a) and ${convOk}`, sql`array(select id from win order by o)`);
  return { ctes, columns, input, ready: go };
}

function loadQuery(inConversation: boolean, withInput: boolean) {
  const l = loadParts(inConversation);
  if (!withInput) return sql`with ${l.ctes} select ${l.columns}, '[]'::json as filled`;
  return sql`with ${l.ctes}, ${l.input.ctes}, ${relaxCte}
    select ${l.columns}, ${l.input.filled} as filled, (select v from relax) as relaxed`;
}

/**
 * The claim that also loads and stores the input when it got the lease and no other holder's lease was in its
 * snapshot (else that holder's last writes might not be, and the caller loads afresh): one round trip for both.
 */
function claimLoadQuery(inConversation: boolean) {
  const c = claimParts(inConversation);
  const ready = sql`(exists (select 1 from claimed) and not ${c.heldByOther})`;
  const l = loadParts(inConversation, ready);
  return sql`with ${c.ctes}, ${l.ctes}, ${l.input.ctes}, ${relaxCte}
    select ${c.columns}, ${l.ready} as ready, ${l.columns}, ${l.input.filled} as filled, (select v from relax) as relaxed`;
}

export type ClaimLoadRow = Loaded & { claimed: boolean; cancelled: boolean; ready: boolean };
export const claimAndLoad = {
  agent: statement<ClaimLoadRow>('mnemo_claim_load_agent', claimLoadQuery(false)),
  conversation: statement<ClaimLoadRow>('mnemo_claim_load_conversation', claimLoadQuery(true)),
};

const loadAgentThread = statement<Loaded>('mnemo_load_agent', loadQuery(false, false));
const loadConversation = statement<Loaded>('mnemo_load_conversation', loadQuery(true, false));
const loadAgentInput = statement<Loaded>('mnemo_load_input_agent', loadQuery(false, true));
const loadConversationInput = statement<Loaded>('mnemo_load_input_conversation', loadQuery(true, true));

/** An agent's stored messages (recall) and archival passages, as the database keeps them counted. */
const countsStatement = statement<{ total: number; archival: number }>(
  'mnemo_memory_counts',
  sql`select
  coalesce((select message_count::int from agents where id = ${agent}::text), 0) as total,
  (select coalesce(sum(pc.n), 0)::int from agent_archives aa join archive_passage_counts pc on pc.archive_id = aa.archive_id where aa.agent_id = ${agent}::text) as archival`,
);

export async function memoryCounts(db: Db, agentId: string): Promise<{ totalMessages: number; archivalCount: number }> {
  const [r] = await countsStatement(db, { agent: agentId });
  return { totalMessages: Number(r?.total ?? 0), archivalCount: Number(r?.archival ?? 0) };
}

/** The agent's rendered file window as the folders service last stored it (agents.extras.directories). */
export async function agentDirectories(db: Db, agentId: string): Promise<string> {
  const r = await db.execute(sql`select extras->>'directories' as d from agents where id = ${agentId}`);
  const rows = (r as unknown as { rows: { d: string | null }[] }).rows;
  return rows[0]?.d ?? '';
}

/** `rows`: the block, tool and message rows of this load, for the thread's next one (held-rows.ts). */
export type LoadedTurn = { state: TurnState; input: MessageRow[]; rows: HeldRows };

/** Rows shipped in full or named by key (`held`), each as the drizzle row: new ones mapped and frozen, held ones reused. */
function rowsOf<T extends object>(table: PgTable, list: Json[], held: ReadonlyMap<string, T>, keep: Map<string, T>): T[] {
  return list.map((j) => {
    const key = typeof j.held === 'string' ? j.held : `${String(j.id)}:${String(j.row_version)}`;
    const row = held.get(key) ?? (typeof j.held === 'string' ? undefined : Object.freeze(fromJson<T>(table, j)));
    if (!row) throw new Error(`load named row ${key}, which is not held`);
    keep.set(key, row);
    return row;
  });
}

/** The turn's state from a load row, and the input stored with it. 404 for an unknown agent or foreign conversation. */
export function loadedTurn(
  r: Loaded | undefined,
  agentId: string,
  conversationId: string | null | undefined,
  input: MessageInsert[],
  held: HeldRows = NO_ROWS,
): LoadedTurn {
  if (!r?.agent) throw notFound('Agent', agentId);
  if (!r.conv_ok) throw notFound('Conversation', conversationId ?? '');
  const rows = { blocks: new Map<string, BlockRow>(), tools: new Map<string, ToolRow>(), messages: new Map<string, MessageRow>() };
  const state: TurnState = {
    agent: fromJson(agents, r.agent),
    conversationId: conversationId ?? null,
    blocks: rowsOf(blocks, r.blocks, held.blocks, rows.blocks),
    tools: rowsOf(tools, r.tools, held.tools, rows.tools),
    context: rowsOf(messages, r.context, held.messages, rows.messages),
    // agents.message_count, read with the agent row (the same snapshot as the window).
    totalMessages: Number(r.agent.message_count ?? 0),
    archivalCount: Number(r.archival),
  };
  return { state, input: storedRows(input, r.filled ?? []), rows };
}

/** The values of a load (and of the input stored with it); `held` rows are named, not shipped again. */
export function loadValues(
  actor: Actor,
  agentId: string,
  conversationId: string | null | undefined,
  input: MessageInsert[],
  relaxed = false,
  held: HeldRows = NO_ROWS,
) {
  return {
    org: actor.orgId,
    agent: agentId,
    conv: conversationId ?? null,
    rows: messagesJson(input),
    inputIds: JSON.stringify(input.map((m) => m.id ?? '')),
    relaxed,
    held: heldKeys(held),
  };
}

/**
 * Loads a turn's state and stores `input` (appended to the thread's window) in the same statement; with
 * `conversationId` the window is that conversation's. The state is as read before the input. `db` may be a transaction.
 */
export async function loadAndWriteInput(
  db: Db,
  actor: Actor,
  agentId: string,
  conversationId: string | null | undefined,
  input: MessageInsert[],
  relaxed = false,
  held: HeldRows = NO_ROWS,
): Promise<LoadedTurn> {
  const values = loadValues(actor, agentId, conversationId, input, relaxed, held);
  const [r] = conversationId ? await loadConversationInput(db, values) : await loadAgentInput(db, values);
  return loadedTurn(r, agentId, conversationId, input, held);
}

/**
 * Loads a turn's state; with `conversationId` the in-context window is that conversation's, not the agent's.
 * 404 for an unknown agent or a conversation that is not this agent's. `db` may be a transaction.
 */
export async function loadTurnState(db: Db, actor: Actor, agentId: string, conversationId?: string | null): Promise<TurnState> {
  const values = { org: actor.orgId, agent: agentId, conv: conversationId ?? null, held: heldKeys(NO_ROWS) };
  const [r] = conversationId ? await loadConversation(db, values) : await loadAgentThread(db, values);
  return loadedTurn(r, agentId, conversationId, []).state;
}
