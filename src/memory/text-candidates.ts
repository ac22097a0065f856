// Full-text side of hybrid search: a bounded pool of matching rows, ranked by cover density (ts_rank_cd).
//
// Why a pool: a common word matches most of the table, and ranking every match grows with the table. Rows with ALL
// the words are pooled first, rows with ANY word only when that pool is short; each pool stops at TEXT_POOL rows.
import { sql, type SQL } from 'drizzle-orm';
import type { VectorTable } from '../db/vector-index.js';

/** Rows read per pool before ranking (bounds the cost of queries made of very common words). */
const TEXT_POOL = 1000;

type TextQueries = { all: SQL; any: SQL; same: boolean };

/** websearch syntax (quotes, -term, OR) is honoured as written; a plain question matches ALL, then ANY of its words. */
function textQueries(text: string): TextQueries {
  const web = sql`websearch_to_tsquery('english', ${text})`;
  if (/["]|(^|\s)-\S|\sor\s/i.test(text)) return { all: web, any: web, same: true };
  const words = text.trim().split(/\s+/).filter(Boolean);
  return { all: web, any: sql`replace(${web}::text, '&', '|')::tsquery`, same: words.length < 2 };
}

/** The query the text score uses (matching any word: partial matches still score). */
export function rankQuery(text: string): SQL {
  return textQueries(text).any;
}

export type TextCteSpec = { table: VectorTable; scope: SQL; filters: SQL[]; text: string };

/** `fts(id, r, d, s, created_at)`: up to `cand` best text matches with their rank (ties share a rank). */
export function textCtes(spec: TextCteSpec, cand: number): SQL[] {
  const table = sql.raw(spec.table);
  const q = textQueries(spec.text);
  const pool = (name: string, match: SQL, gate: SQL) => {
    const where = sql.join([gate, spec.scope, sql`t.tsv @@ ${match}`, ...spec.filters], sql` and `);
    return sql`${sql.raw(name)} as materialized (select t.id, ts_rank_cd(t.tsv, ${q.any}) as s, t.created_at from ${table} t
      where ${where} limit ${TEXT_POOL})`;
  };
  const ctes = [pool('fts_all', q.all, sql`true`)];
  const union = q.same ? sql`select * from fts_all` : sql`select * from fts_all union all select * from fts_any`;
  if (!q.same) ctes.push(pool('fts_any', q.any, sql`(select count(*) < ${cand} from fts_all)`));
  ctes.push(sql`fts as (select id, rank() over (order by s desc) as r, null::float8 as d, s, created_at from
      (select id, max(s) as s, max(created_at) as created_at from (${union}) u group by id
       order by s desc, id collate "C" limit ${cand}) f)`);
  return ctes;
}
