// The A/B benchmark's arithmetic: bench/loop.ts's printed table → rows, and rounds of A and B rows → one markdown
// table per scenario with every round and the medians.

export type LoopRow = { db: string; scenario: string; turnsPerS: number; p50: number; sqlPerStep: number };
type Round = { before: LoopRow[]; after: LoopRow[] };

/** The rows of the table bench/loop.ts prints (database, scenario, turns, turns/s, steps/s, p50, p99, SQL/step, …). */
export function parseLoopTable(out: string): LoopRow[] {
  const rows: LoopRow[] = [];
  for (const line of out.split('\n')) {
    const c = line.split('|').map((x) => x.trim());
    // A data row: | db | scenario | turns | turns/s | steps/s | p50 | p99 | SQL | …  (c[0] is the text before the first bar)
    if (c.length < 10 || c[1] === 'database' || !/^\d/.test(c[3] ?? '')) continue;
    rows.push({ db: c[1] ?? '', scenario: c[2] ?? '', turnsPerS: Number(c[4]), p50: Number(c[6]), sqlPerStep: Number(c[8]) });
  }
  return rows;
}

export function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const keyOf = (r: LoopRow) => `${r.db}\u0000${r.scenario}`;
const cell = (r: LoopRow | undefined) => (r ? `${r.turnsPerS.toFixed(1)} (${r.p50.toFixed(2)})` : '–');
const ratio = (b: number, a: number) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? (b / a).toFixed(2) : '–');

/** One row per database and scenario: A and B of every round, the medians, B/A for turns/s and p50, SQL per step. */
export function abTable(rounds: Round[]): string {
  const keys = [...new Map(rounds.flatMap((r) => [...r.before, ...r.after]).map((r) => [keyOf(r), r])).values()];
  const head = ['database', 'scenario', ...rounds.flatMap((_, i) => [`A${i + 1}`, `B${i + 1}`]), 'median A', 'median B'];
  head.push('B/A turns/s', 'B/A p50', 'SQL/step A → B');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const k of keys) {
    const find = (rows: LoopRow[]) => rows.find((r) => keyOf(r) === keyOf(k));
    const as = rounds.map((r) => find(r.before));
    const bs = rounds.map((r) => find(r.after));
    const med = (rs: (LoopRow | undefined)[], f: (r: LoopRow) => number) => median(rs.flatMap((r) => (r ? [f(r)] : [])));
    const [ta, tb] = [med(as, (r) => r.turnsPerS), med(bs, (r) => r.turnsPerS)];
    const [pa, pb] = [med(as, (r) => r.p50), med(bs, (r) => r.p50)];
    const medCell = (t: number, p: number) => (Number.isFinite(t) ? `${t.toFixed(1)} (${p.toFixed(2)})` : '–');
    const sql = `${med(as, (r) => r.sqlPerStep).toFixed(1)} → ${med(bs, (r) => r.sqlPerStep).toFixed(1)}`;
    const cells = [k.db, k.scenario, ...as.flatMap((a, i) => [cell(a), cell(bs[i])]), medCell(ta, pa), medCell(tb, pb)];
    cells.push(ratio(tb, ta), ratio(pb, pa), sql);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
