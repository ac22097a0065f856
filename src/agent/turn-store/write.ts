// The turn's writes, each ONE statement (a chain of data-modifying CTEs is atomic without BEGIN/COMMIT round trips):
// the input, a step (optionally closing the run), and the run's finish. Every message written here joins the agent's
// message count (agents.message_count) in the same statement. Block writes are compare-and-swap on blocks.version,
// so an edit made concurrently (another conversation, a user PATCH) is never overwritten silently.
import { type SQL, sql } from 'drizzle-orm';
import { runStatusFor, type StopReason, type TurnUsage } from '../turn-types.js';
import { relaxCte, statement } from './statement.js';
import { FILLED, type Filled, insertFrom, insertMessages, STEP_COLS } from './message-json.js';

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

const IDS = sql`array(select json_array_elements_text(${p('ids')}::text::json))`;
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
