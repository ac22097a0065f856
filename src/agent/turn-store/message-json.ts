// Messages and steps as JSON records for the turn store's statements: the column lists, the insert ... select that
// reads them, and the stored rows rebuilt from what the database filled in. Imports nothing from the loop.
import { getTableColumns, is, sql, SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { messages, steps } from '../../db/schema/index.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

export type StepInsert = typeof steps.$inferInsert;

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
export const STEP_COLS = insertable(steps, []);

/** Insert ... select from JSON records `source` (alias r), defaults applied where a record leaves a column out. */
export function insertFrom(table: string, cols: [string, PgColumn][], source: SQL): SQL {
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

/** Property key → column name, for the columns a record may carry. */
const columnNames = (cols: [string, PgColumn][]): ReadonlyMap<string, string> => new Map(cols.map(([k, c]) => [k, c.name]));
const MESSAGE_NAMES = columnNames(MESSAGE_COLS);
const STEP_NAMES = columnNames(STEP_COLS);

/** A drizzle insert object as the record json_populate_record reads (column names; Dates become ISO text). */
function record(names: ReadonlyMap<string, string>, r: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k in r) {
    const name = names.get(k);
    if (name !== undefined && r[k] !== undefined) o[name] = r[k];
  }
  return o;
}

export const insertMessages = sql`ins as (${insertFrom('messages', MESSAGE_COLS, sql`json_populate_recordset(null::messages, ${p('rows')}::text::json) with ordinality r`)}
      order by r.ordinality returning id, seq, created_at, updated_at)`;
export const FILLED = sql`coalesce((select json_agg(json_build_object('id', id, 'seq', seq, 'created_at', created_at, 'updated_at', updated_at)) from ins), '[]'::json)`;

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

export const messagesJson = (rows: MessageInsert[]) => JSON.stringify(rows.map((r) => record(MESSAGE_NAMES, r)));
export const stepJson = (step: StepInsert) => JSON.stringify(record(STEP_NAMES, step));

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
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) o[k] = v;
  return o;
}
