// PGlite's query() with prepared statements, which PGlite has no call for: its own query() parses, plans and describes
// every statement again, which for the turn store's large statements was most of a turn's database CPU
// (bench/results.md, "Issue 22, PGlite: prepared statements"). Here each query's text is parsed once per PGlite
// session under a generated name, then bound and run; the least recently used ones are closed past a bound.
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

type Parser = PGlite['parsers'][number];
type RowMode = 'array' | 'object';

/** Statements kept by text per session; past this the least recently used one is closed. */
const MAX_CACHED = 128;

type Session = {
  /** Parameter types of every statement parsed in this session, by name. */
  named: Map<string, number[]>;
  /** Name of each statement kept by text, least recently used first. */
  byText: Map<string, string>;
  /** Statements evicted from `byText`, to close before the next one runs. */
  toClose: string[];
  nextName: number;
  /** PGlite's parsers with the given types left as text, by the types' list. */
  parsers: Map<string, Record<number, Parser>>;
};

const sessions = new WeakMap<PGlite, Session>();

function sessionOf(pg: PGlite): Session {
  let s = sessions.get(pg);
  if (!s) {
    s = { named: new Map(), byText: new Map(), toClose: [], nextName: 0, parsers: new Map() };
    sessions.set(pg, s);
  }
  return s;
}

const asText: Parser = (v) => v;

function parsersFor(pg: PGlite, s: Session, textTypes: number[]): Record<number, Parser> {
  const key = textTypes.join(',');
  let p = s.parsers.get(key);
  if (!p) {
    p = { ...pg.parsers };
    for (const oid of textTypes) p[oid] = asText;
    s.parsers.set(key, p);
  }
  return p;
}

/** The name a query's text runs under, parsed or not yet; marks it most recently used. */
function nameForText(s: Session, text: string): string {
  const known = s.byText.get(text);
  if (known !== undefined) {
    s.byText.delete(text);
    s.byText.set(text, known);
    return known;
  }
  const name = `mnemo_q${++s.nextName}`;
  s.byText.set(text, name);
  for (const [oldText, oldName] of s.byText) {
    if (s.byText.size <= MAX_CACHED) break;
    s.byText.delete(oldText);
    if (s.named.delete(oldName)) s.toClose.push(oldName);
  }
  return name;
}

type RunOptions = { rowMode?: RowMode; textTypes: number[] };

const INVALID_STATEMENT_NAME = '26000';
/** "cached plan must not change result type": a table the statement reads changed shape since it was parsed. */
const PLAN_CHANGED_RESULT = '0A000';

async function runNamed<R>(pg: PGlite, name: string, text: string, params: unknown[], o: RunOptions): Promise<Results<R>> {
  if (pg.closed) throw new Error('PGlite is closed');
  const s = sessionOf(pg);
  const send = (message: Uint8Array) => pg.execProtocolStream(message, { syncToFs: false });
  const wire = protocol.serialize;

  const attempt = async (): Promise<Results<R>> => {
    const messages = [];
    try {
      for (const old of s.toClose.splice(0)) await send(wire.close({ type: 'S', name: old }));
      let types = s.named.get(name);
      if (!types) {
        messages.push(...(await send(wire.parse({ name, text }))));
        types = parse.parseDescribeStatementResults(await send(wire.describe({ type: 'S', name })));
        s.named.set(name, types);
      }
      const values = params.map((v, i) => {
        if (v === null || v === undefined) return null;
        const serialize = pg.serializers[types[i] ?? 0];
        return serialize ? serialize(v) : String(v);
      });
      messages.push(...(await send(wire.bind({ statement: name, values }))));
      messages.push(...(await send(wire.describe({ type: 'P' }))));
      messages.push(...(await send(wire.execute({}))));
    } finally {
      messages.push(...(await send(wire.sync())));
    }
    await pg.syncToFs();
    const [result] = parse.parseResults(messages, parsersFor(pg, s, o.textTypes), { rowMode: o.rowMode });
    return (result ?? { rows: [], fields: [] }) as Results<R>;
  };

  return pg._runExclusiveTransaction(() =>
    pg.runExclusive(async () => {
      const parsedBefore = s.named.has(name);
      try {
        return await attempt();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === INVALID_STATEMENT_NAME) s.named.delete(name);
        if (code !== PLAN_CHANGED_RESULT || !parsedBefore) throw err;
        // Parse it again against the tables as they are now, once.
        s.named.delete(name);
        s.toClose.push(name);
        return attempt();
      }
    }),
  );
}

/** PGlite's query() through a statement kept by its text; `textTypes` are returned as text (the caller parses them). */
export function runQuery<R>(pg: PGlite, text: string, params: unknown[], o: RunOptions): Promise<Results<R>> {
  return runNamed(pg, nameForText(sessionOf(pg), text), text, params, o);
}
