// Named prepared statements on PGlite, which has no call for them: its query() parses, plans and describes every
// statement again. For the turn store's large statements that was most of a turn's database CPU (bench/results.md,
// "Prepared statements on PGlite"). Here a statement is parsed once per PGlite session, then only bound and run.
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

type Parser = PGlite['parsers'][number];

type Session = { parsers: Record<number, Parser>; paramTypes: Map<string, number[]> };

const sessions = new WeakMap<PGlite, Session>();

const asText: Parser = (v) => v;
/** Left as text, as drizzle's pglite driver asks: timestamps, intervals, dates, and arrays of those and of numerics. */
const TEXT_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];

function sessionOf(pg: PGlite): Session {
  let s = sessions.get(pg);
  if (!s) {
    const parsers: Record<number, Parser> = { ...pg.parsers };
    for (const oid of TEXT_TYPES) parsers[oid] = asText;
    s = { parsers, paramTypes: new Map() };
    sessions.set(pg, s);
  }
  return s;
}

const INVALID_STATEMENT_NAME = '26000';

/**
 * Runs the statement `name` (its text fixed for that name) with `params`, parsing it first when this PGlite has not
 * seen the name. Waits for other statements and transactions like PGlite's own query().
 */
export async function runPrepared<R>(pg: PGlite, name: string, text: string, params: unknown[]): Promise<Results<R>> {
  if (pg.closed) throw new Error('PGlite is closed');
  const session = sessionOf(pg);
  const send = (message: Uint8Array) => pg.execProtocolStream(message, { syncToFs: false });
  const wire = protocol.serialize;
  return pg._runExclusiveTransaction(() =>
    pg.runExclusive(async () => {
      const messages = [];
      try {
        let types = session.paramTypes.get(name);
        if (!types) {
          messages.push(...(await send(wire.parse({ name, text }))));
          types = parse.parseDescribeStatementResults(await send(wire.describe({ type: 'S', name })));
          session.paramTypes.set(name, types);
        }
        const values = params.map((v, i) => {
          if (v === null || v === undefined) return null;
          const serialize = pg.serializers[types[i] ?? 0];
          return serialize ? serialize(v) : String(v);
        });
        messages.push(...(await send(wire.bind({ statement: name, values }))));
        messages.push(...(await send(wire.describe({ type: 'P' }))));
        messages.push(...(await send(wire.execute({}))));
      } catch (err) {
        if ((err as { code?: string }).code === INVALID_STATEMENT_NAME) session.paramTypes.delete(name);
        throw err;
      } finally {
        messages.push(...(await send(wire.sync())));
      }
      await pg.syncToFs();
      const [result] = parse.parseResults(messages, session.parsers);
      return (result ?? { rows: [], fields: [] }) as Results<R>;
    }),
  );
}
