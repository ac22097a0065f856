// Hand-written SQL for the loop's per-step writes (the input write and the step write). Building these statements
// with drizzle cost several ms of JS per turn (mostly the 29-column message insert); here every statement text is
// built once per variant and sent as a named prepared statement (node-postgres) or a parameterised query (PGlite).
// Rows and blocks travel as one JSON text parameter each and are unpacked by json_populate_recordset, so the text
// does not depend on how many rows a step writes.
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbHandle } from '../../db/client.js';
import { messages, steps } from '../../db/schema/index.js';
import { agentLastRunSet, finishCtes, finishPlaceholders } from './finish-run.js';
import { runText } from './text-exec.js';

/** Runs one fixed statement text with positional values; `name` identifies the text (a prepared statement). */
export type RawExec = <T = Record<string, unknown>>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** The raw executor of a database handle: the pool's named prepared statements, or PGlite's `query`. */
export function rawExecFor(dbh: DbHandle): RawExec | undefined {
  if (dbh.pool) {
    const pool = dbh.hotPool?.() ?? dbh.pool;
    return async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[];
  }
  if (dbh.pglite) {
    const lite = dbh.pglite;
    return async <T>(_name: string, text: string, values: unknown[]) => (await lite.query<T>(text, values)).rows;
  }
  return undefined;
}

/** camelCase key → column name, for the insertable columns of a table (generated and vector columns excluded). */
function keyMap(table: PgTable, skip: string[]): [string, string][] {
  return Object.entries(getTableColumns(table)).filter(([k]) => !skip.includes(k)).map(([k, c]) => [k, c.name]);
}
// Messages are stored without embeddings (recall embeds them afterwards), so the vector columns are not written here.
const MESSAGE_KEYS = keyMap(messages, ['seq', 'tsv', 'embedding', 'embeddingDim']);
const STEP_KEYS = keyMap(steps, []);

/** A drizzle insert object as the JSON record json_populate_record reads (column names, Dates as ISO text). */
export function recordJson(keys: [string, string][], rows: Record<string, unknown>[]): string {
  return JSON.stringify(rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, col] of keys) if (r[k] !== undefined) o[col] = r[k];
    return o;
  }));
}
export const messagesJson = (rows: Record<string, unknown>[]) => recordJson(MESSAGE_KEYS, rows);
export const stepJson = (row: Record<string, unknown>) => recordJson(STEP_KEYS, [row]);

/** Defaults of the table definitions, applied where the JSON record leaves a column out. */
const DEFAULTS: Record<string, string> = { text: `''`, extras: `'{}'::jsonb`, created_at: 'now()', updated_at: 'now()', status: `'pending'`, prompt_tokens: '0', completion_tokens: '0', total_tokens: '0', tags: `'{}'::text[]` };
function insertFrom(table: string, keys: [string, string][], source: string): string {
  const cols = keys.map(([, c]) => c);
  const vals = cols.map((c) => (DEFAULTS[c] ? `coalesce(r."${c}", ${DEFAULTS[c]})` : `r."${c}"`));
  return `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) select ${vals.join(', ')} from ${source}`;
}

/** CTE `name` inserting the message rows of JSON parameter `param` (in order), when `cond` (SQL) holds. */
export const messageInsertCte = (name: string, param: string, cond = 'true') =>
  `${name} as (${insertFrom('messages', MESSAGE_KEYS, `json_populate_recordset(null::messages, ${param}::text::json) with ordinality r`)} where ${cond} order by r.ordinality returning id, seq, created_at, updated_at)`;
/** What the database filled in for the rows of insert CTE `name`, as a JSON array. */
export const filledJson = (name: string) => `coalesce((select json_agg(json_build_object('id', id, 'seq', seq, 'created_at', created_at, 'updated_at', updated_at)) from ${name}), '[]'::json)`;
const MSG_INSERT = messageInsertCte('ins', '$2');
const FILLED = filledJson('ins');
/** A SET item adding the rows of insert CTE `ins` to the agent's message count (agents.message_count, migration 0007). */
export const countSet = (ins: string) => `message_count = message_count + (select count(*) from ${ins})`;
/** The agent of conversation `conv` (SQL), for statements that only know the conversation. */
export const agentOf = (conv: string) => `(select agent_id from conversations where id = ${conv})`;
/** Which insert CTE's rows a context update also counts, and (SQL) the agent they belong to. */
export type Counted = { ins: string; agent: string };

/**
 * CTE `name` storing a thread's in-context ids (SQL array `ids`) on conversation `id` (`conv`) or else agent `id`,
 * when `cond` holds; a conversation also records when it last saw a message. With `counted`, the rows of that insert
 * CTE (which must come earlier in the WITH list) join the agent's message count: in the same update on the agent's
 * own thread, in a second CTE `<name>_n` for a conversation.
 */
export const contextUpdateCte = (name: string, conv: boolean, id: string, ids: string, cond = 'true', counted?: Counted) => conv
  ? `${name} as (update conversations set message_ids = ${ids}, last_message_at = now(), updated_at = now() where id = ${id} and ${cond})` +
    (counted ? `, ${name}_n as (update agents set ${countSet(counted.ins)} where id = ${counted.agent} and ${cond})` : '')
  : `${name} as (update agents set message_ids = ${ids}${counted ? `, ${countSet(counted.ins)}` : ''} where id = ${id} and ${cond})`;
const IDS_PARAM = `array(select json_array_elements_text($1::text::json))`;
/** $1 = the thread's in-context ids (JSON array), $3 = agent or conversation id; counts the rows of `ins`. */
const contextUpdate = (conv: boolean) => contextUpdateCte('c', conv, '$3', IDS_PARAM, 'true', { ins: 'ins', agent: conv ? agentOf('$3') : '$3' });
/** Makes the statement's commit skip the WAL-flush wait (a later synchronous commit flushes it). */
export const RELAX_CTE = `relax as (select set_config('synchronous_commit', 'off', true) as v)`;

export type HotVariant = { conv: boolean; relaxed: boolean };
const texts = new Map<string, string>();
function memo(name: string, build: () => string): { name: string; text: string } {
  let text = texts.get(name);
  if (!text) texts.set(name, (text = build()));
  return { name, text };
}

/** Input write: $1 ids, $2 message rows, $3 thread id. Returns `filled`. */
export function inputStatement(v: HotVariant) {
  return memo(`mnemo_input_${+v.conv}${+v.relaxed}`, () =>
    `with ${MSG_INSERT}, ${contextUpdate(v.conv)}${v.relaxed ? `, ${RELAX_CTE}` : ''} select ${FILLED} as filled${v.relaxed ? ', (select v from relax) as relaxed' : ''}`);
}

/**
 * Raised inside the statement (a failing integer cast, whose message quotes the whole value) so a lost
 * compare-and-swap rolls back every write of the step.
 */
export const CONFLICT_MARK = 'mnemo-block-version-conflict';
/** Raised the same way when the step write carries a cancel guard and the run was cancelled meanwhile. */
export const CANCELLED_MARK = 'mnemo-run-cancelled';
/** The guard's condition; `$n` is the run id. */
const cancelledSql = (param: string) => `exists (select 1 from runs where id = ${param} and (cancel_requested or status = 'cancelled'))`;

/**
 * Step write: $1 ids, $2 message rows, $3 thread id, $4 step record, $5 changed blocks [{id,value,version}],
 * $6 their count, with `system` $7 id, $8 text, $9 content, $10 extras of the system message, and with `guard` the run
 * id as the next parameter: a cancelled run makes the statement fail (nothing written), saving a separate check;
 * with `finish` the turn's finish parameters follow (stepFinishUsed): the last step also closes the run and frees
 * the lease, one statement less per turn.
 */
export function stepStatement(v: HotVariant & { system: boolean; guard: boolean; finish: boolean }) {
  const runParam = `$${v.system ? 11 : 7}`;
  const guard = v.guard ? `when ${cancelledSql(runParam)} then ('${CANCELLED_MARK}' || (select n from sw))::int::text::json ` : '';
  // The finish (last step of a turn) follows; on the agent's own thread its last-run fields join the one update of
  // the agent row (a statement must not update one row twice).
  const fp = finishPlaceholders(stepFinishUsed(v.conv), (v.system ? 11 : 7) + (v.guard ? 1 : 0));
  // The step's messages join the agent's count in that same update; on a conversation's last step, in the finish's.
  const context = v.finish && !v.conv
    ? `c as (update agents set message_ids = ${IDS_PARAM}, ${countSet('ins')}, ${agentLastRunSet(fp)} where id = $3)`
    : v.finish ? contextUpdateCte('c', true, '$3', IDS_PARAM) : contextUpdate(v.conv);
  const finish = v.finish ? `, ${finishCtes(fp, { agent: v.conv, lease: true, agentSet: v.conv ? countSet('ins') : undefined }).join(', ')}` : '';
  return memo(`mnemo_step_${+v.conv}${+v.relaxed}${+v.system}${+v.guard}${+v.finish}`, () => `with st as (${insertFrom('steps', STEP_KEYS, 'json_populate_record(null::steps, ($4::text::json)->0) r')}),
    ${MSG_INSERT},
    ${context},
    ${v.system ? `sys as (update messages set text = $8, content = $9::text::jsonb, extras = $10::text::jsonb, updated_at = now() where id = $7),` : ''}
    swapped as (update blocks b set value = x.value, version = b.version + 1, updated_at = now()
      from json_to_recordset($5::text::json) as x(id text, value text, version int)
      where b.id = x.id and b.version = x.version returning b.id, b.version, b.updated_at),
    sw as (select count(*)::int as n, coalesce(json_agg(json_build_object('id', id, 'version', version, 'updated_at', updated_at)), '[]'::json) as j from swapped)
    ${finish}${v.relaxed ? `, ${RELAX_CTE}` : ''}
    select case ${guard}when (select n from sw) = $6::int then ${FILLED}
      else ('${CONFLICT_MARK}' || (select n from sw))::int::text::json end as filled,
      (select j from sw) as swapped
      ${v.relaxed ? ', (select v from relax) as relaxed' : ''}`);
}

/** The finish parameters a step statement with `finish` takes, in order (the agent id is $3 on the agent's thread). */
export const stepFinishUsed = (conv: boolean) => Array.from({ length: 16 }, (_, i) => i + 1).filter((i) => conv || i !== 13);

const CANCELLED = `select (cancel_requested or status = 'cancelled') as c from runs where id = $1`;
/** The run's cancel flag: asked before steps with tools, so it is a prepared statement too. */
export async function cancelRequested(db: Db, raw: RawExec | undefined, runId: string): Promise<boolean> {
  const [r] = await runText<{ c: boolean | null }>(db, raw, 'mnemo_run_cancelled', CANCELLED, [runId]);
  return Boolean(r?.c);
}
