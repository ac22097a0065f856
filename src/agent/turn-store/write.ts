// The turn's writes, each ONE statement (a chain of data-modifying CTEs is atomic without BEGIN/COMMIT round trips):
// the input, a step (optionally closing the run), and the run's finish. Every message written here joins the agent's
// message count (agents.message_count) in the same statement. Block writes are compare-and-swap on blocks.version,
// so an edit made concurrently (another conversation, a user PATCH) is never overwritten silently.
import { getTableColumns, is, sql, SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { messages, steps } from '../../db/schema/index.js';
import { runStatusFor, type StopReason, type TurnUsage } from '../loop/types.js';
import { relaxCte, statement } from './statement.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

export type StepInsert = typeof steps.$inferInsert;
/** Where a turn's in-context ids live: the agent's list, or one conversation's. */
export type Thread = { agentId: string; conversationId?: string | null };
export type RunOutcome = {
  runId: string;
  stopReason: StopReason;
  usage: TurnUsage;
  durationNs: number;
  ttftNs?: number | null;
  error?: string;
};

const p = (name: string) => sql.placeholder(name);

/** The SQL default of a column, for a value the JSON record leaves out. */
function defaultOf(col: PgColumn): SQL | undefined {
  const d: unknown = col.default;
  if (d === undefined) return undefined;
  if (is(d, SQL)) return d;
  if (typeof d === 'number' || typeof d === 'boolean') return sql.raw(String(d));
  if (typeof d === 'string') return sql.raw(`'${d.replace(/'/g, "''")}'`);
  return undefined;
}

/** The insertable columns of a table (generated and search columns left out) as [key, column]. */
function insertable(table: PgTable, skip: string[]): [string, PgColumn][] {
  return Object.entries(getTableColumns(table)).filter(([k]) => !skip.includes(k));
}
// Messages are stored without embeddings (recall embeds them afterwards).
const MESSAGE_COLS = insertable(messages, ['seq', 'tsv', 'embedding', 'embeddingDim']);
const STEP_COLS = insertable(steps, []);

/** Insert ... select from JSON records `source` (alias r), defaults applied where a record leaves a column out. */
function insertFrom(table: string, cols: [string, PgColumn][], source: SQL): SQL {
  const names = sql.raw(cols.map(([, c]) => `"${c.name}"`).join(', '));
  const vals = sql.join(
    cols.map(([, c]) => {
      const d = defaultOf(c);
      return d ? sql`coalesce(r.${sql.identifier(c.name)}, ${d})` : sql`r.${sql.identifier(c.name)}`;
    }),
    sql`, `,
  );
  return sql`insert into ${sql.identifier(table)} (${names}) select ${vals} from ${source}`;
}

/** A drizzle insert object as the record json_populate_record reads (column names; Dates become ISO text). */
function record(cols: [string, PgColumn][], r: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, c] of cols) if (r[k] !== undefined) o[c.name] = r[k];
  return o;
}

const IDS = sql`array(select json_array_elements_text(${p('ids')}::text::json))`;
const insertMessages = sql`ins as (${insertFrom('messages', MESSAGE_COLS, sql`json_populate_recordset(null::messages, ${p('rows')}::text::json) with ordinality r`)}
      order by r.ordinality returning id, seq, created_at, updated_at)`;
const FILLED = sql`coalesce((select json_agg(json_build_object('id', id, 'seq', seq, 'created_at', created_at, 'updated_at', updated_at)) from ins), '[]'::json)`;
const finishing = sql`${p('finishRun')}::text is not null`;
/** Sets a column to `value` only when the statement closes the run. */
const onFinish = (col: string, value: SQL) => sql`${sql.raw(col)} = case when ${finishing} then ${value} else ${sql.raw(col)} end`;

/** The agent row: its in-context ids (agent thread), message count, and last-run fields when the run closes. */
function agentUpdate(withFinish: boolean): SQL {
  const lastRun = withFinish
    ? sql`, ${onFinish('last_stop_reason', sql`${p('stopReason')}::text`)}, ${onFinish('last_run_completion', sql`now()`)},
        ${onFinish('last_run_duration_ms', sql`${p('runMs')}::bigint`)}`
    : sql``;
  return sql`ag as (update agents set message_ids = case when ${p('conv')}::text is null then ${IDS} else message_ids end,
      message_count = message_count + (select count(*) from ins)${lastRun}
    where id = ${p('agent')}::text)`;
}
const conversationUpdate = sql`cu as (update conversations set message_ids = ${IDS}, last_message_at = now(), updated_at = now()
    where id = ${p('conv')}::text and exists (select 1 from ins))`;
const runFinish = sql`fin_run as (update runs set status = ${p('status')}::text, stop_reason = ${p('stopReason')}::text, completed_at = now(),
      updated_at = now(), total_duration_ns = ${p('durationNs')}::bigint, ttft_ns = ${p('ttftNs')}::bigint,
      prompt_tokens = ${p('promptTokens')}::int, completion_tokens = ${p('completionTokens')}::int, total_tokens = ${p('totalTokens')}::int,
      cached_input_tokens = ${p('cachedInputTokens')}::int, reasoning_tokens = ${p('reasoningTokens')}::int,
      step_count = ${p('stepCount')}::int, error = ${p('error')}::text
    where id = ${p('finishRun')}::text),
  fin_lease as (delete from leases where key = ${p('leaseKey')}::text and holder = ${p('leaseHolder')}::text)`;

/** The finish's values; `agent` null leaves the agent's last-run fields alone (the turn never got its lease). */
export function finishValues(o: RunOutcome | undefined, lease: { key: string; holder: string } | undefined) {
  const u = o?.usage;
  return {
    finishRun: o?.runId ?? null,
    status: o ? runStatusFor(o.stopReason) : null,
    stopReason: o?.stopReason ?? null,
    durationNs: o ? Math.round(o.durationNs) : null,
    ttftNs: o?.ttftNs != null ? Math.round(o.ttftNs) : null,
    promptTokens: u?.promptTokens ?? null,
    completionTokens: u?.completionTokens ?? null,
    totalTokens: u?.totalTokens ?? null,
    cachedInputTokens: u?.cachedInputTokens ?? null,
    reasoningTokens: u?.reasoningTokens ?? null,
    stepCount: u?.stepCount ?? null,
    error: o?.error ?? null,
    runMs: o ? Math.round(o.durationNs / 1e6) : null,
    leaseKey: lease?.key ?? null,
    leaseHolder: lease?.holder ?? null,
  };
}

/**
 * The input's writes inside a load statement: the rows (when `guard` holds), the thread's in-context ids set to
 * `windowIds` (the window just read) plus the input's ids (placeholder `inputIds`), and the agent's message count.
 */
export function inputWrites(guard: SQL, windowIds: SQL) {
  const ids = sql`${windowIds} || array(select json_array_elements_text(${p('inputIds')}::text::json))`;
  const rows = sql`json_populate_recordset(null::messages, ${p('rows')}::text::json) with ordinality r where ${guard}`;
  const ctes = sql`ins as (${insertFrom('messages', MESSAGE_COLS, rows)} order by r.ordinality returning id, seq, created_at, updated_at),
    ag as (update agents set message_ids = case when ${p('conv')}::text is null then ${ids} else message_ids end,
      message_count = message_count + (select count(*) from ins)
      where id = ${p('agent')}::text and exists (select 1 from ins)),
    cu as (update conversations set message_ids = ${ids}, last_message_at = now(), updated_at = now()
      where id = ${p('conv')}::text and exists (select 1 from ins))`;
  return { ctes, filled: FILLED };
}

/** Input: ids, rows, agent, conv, relaxed. Returns what the database filled in. */
export const writeInputStatement = statement<{ filled: Filled[] }>(
  'mnemo_write_input',
  sql`with ${insertMessages}, ${agentUpdate(false)}, ${conversationUpdate}, ${relaxCte}
  select ${FILLED} as filled, (select v from relax) as relaxed`,
);

/**
 * Raised inside the step statement (a failing integer cast, whose message quotes the value) so a lost block
 * compare-and-swap, or a cancel seen by the guard, rolls back every write of the step.
 */
export const CONFLICT_MARK = 'mnemo-block-version-conflict';
export const CANCELLED_MARK = 'mnemo-run-cancelled';

/**
 * Step: the input's parameters plus step (JSON record), blocks ([{id, value, version}] JSON) and blockCount, the
 * system message (sysId null: unchanged), guardRun (a run whose cancel makes the statement write nothing; null: no
 * guard), and the finish's values (finishRun null: the run stays open).
 */
export const writeStepStatement = statement<{ filled: Filled[]; swapped: { id: string; version: number; updated_at: string }[] }>(
  'mnemo_write_step',
  sql`with
  st as (${insertFrom('steps', STEP_COLS, sql`json_populate_record(null::steps, ${p('step')}::text::json) r`)}),
  ${insertMessages}, ${agentUpdate(true)}, ${conversationUpdate},
  sys as (update messages set text = ${p('sysText')}::text, content = ${p('sysContent')}::text::jsonb, extras = ${p('sysExtras')}::text::jsonb,
      updated_at = now() where id = ${p('sysId')}::text),
  swapped as (update blocks b set value = x.value, version = b.version + 1, updated_at = now()
      from json_to_recordset(${p('blocks')}::text::json) as x(id text, value text, version int)
      where b.id = x.id and b.version = x.version returning b.id, b.version, b.updated_at),
  sw as (select count(*)::int as n, coalesce(json_agg(json_build_object('id', id, 'version', version, 'updated_at', updated_at)), '[]'::json) as j from swapped),
  ${runFinish}, ${relaxCte}
  select case
      when ${p('guardRun')}::text is not null and exists (select 1 from runs where id = ${p('guardRun')}::text and (cancel_requested or status = 'cancelled'))
        then (${sql.raw(`'${CANCELLED_MARK}'`)} || (select n from sw))::int::text::json
      when (select n from sw) = ${p('blockCount')}::int then ${FILLED}
      else (${sql.raw(`'${CONFLICT_MARK}'`)} || (select n from sw))::int::text::json end as filled,
    (select j from sw) as swapped, (select v from relax) as relaxed`,
);

/** The run's close: status, stop reason, usage, timings; the agent's last-run fields (agent null: not); the lease. */
export const finishStatement = statement<{ done: number }>(
  'mnemo_finish_run',
  sql`with ${runFinish},
  fin_agent as (update agents set last_stop_reason = ${p('stopReason')}::text, last_run_completion = now(), last_run_duration_ms = ${p('runMs')}::bigint
    where id = ${p('agent')}::text)
  select 1 as done`,
);

export const messagesJson = (rows: MessageInsert[]) => JSON.stringify(rows.map((r) => record(MESSAGE_COLS, r)));
export const stepJson = (step: StepInsert) => JSON.stringify(record(STEP_COLS, step));

/** What the database filled in for an inserted message. */
export type Filled = { id: string; seq: number; created_at: string; updated_at: string };

/** The stored rows of an insert: what was sent plus what the database filled in (seq, timestamps, defaults). */
export function storedRows(rows: MessageInsert[], filled: Filled[]): MessageRow[] {
  const byId = new Map(filled.map((f) => [f.id, f]));
  return rows.map((r): MessageRow => {
    const f = byId.get(r.id ?? '');
    if (!f) throw new Error(`message ${r.id} was not stored`);
    return {
      conversationId: null,
      tsv: null,
      embedding: null,
      embeddingDim: null,
      name: null,
      model: null,
      toolCalls: null,
      toolCallId: null,
      toolReturns: null,
      stepId: null,
      runId: null,
      otid: null,
      senderId: null,
      groupId: null,
      batchItemId: null,
      isErr: null,
      approve: null,
      approvalRequestId: null,
      approvals: null,
      denialReason: null,
      content: null,
      text: '',
      extras: {},
      ...definedOf(r),
      id: f.id,
      organizationId: r.organizationId ?? '',
      agentId: r.agentId,
      role: r.role,
      seq: Number(f.seq),
      createdAt: new Date(f.created_at),
      updatedAt: new Date(f.updated_at),
    };
  });
}

function definedOf(r: MessageInsert): Partial<MessageRow> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}
