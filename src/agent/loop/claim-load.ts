// A turn's first statement does three things: it claims the thread's lease (and inserts the run), loads the turn's
// state, and stores the input messages with the thread's new in-context ids. The state and input parts only act when
// the claim succeeded on a snapshot that already shows the previous holder's last writes; otherwise (waiting, a
// stale snapshot, an unknown agent or conversation) they do nothing and the loop loads and writes separately.
import type { Actor } from '../../actor.js';
import { contextUpdateCte, filledJson, messageInsertCte, messagesJson } from './hot-sql.js';
import { knownParam, loadParts, stateFromLoaded, type Loaded } from './load-state.js';
import { storedRows, type Filled } from './persist-step.js';
import type { Piggyback } from './turn-lock.js';
import type { TurnState } from './types.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

/** `state` undefined: a held row version was evicted meanwhile; the input is stored, the loop loads (input included). */
export type Preloaded = { state?: TurnState; input: MessageRow[] };

/**
 * The claim's piggyback for a turn of `agentId` (in `conversationId`) with input `rows` (none for an approval
 * answer): parameters org, agent, [conversation], known row versions, [input rows].
 */
export function turnPiggyback(actor: Actor, agentId: string, conversationId: string | null | undefined, rows: MessageInsert[]): Piggyback {
  const conv = Boolean(conversationId);
  const input = rows.length > 0;
  const values: unknown[] = [actor.orgId, agentId, ...(conv ? [conversationId] : []), knownParam(agentId, conversationId)];
  if (input) values.push(messagesJson(rows));
  return {
    name: `load${+conv}${+input}`,
    values,
    build(first, claimed) {
      const p = (i: number) => `$${first + i}`;
      const params = { org: p(0), agent: p(1), conv: conv ? p(2) : undefined, known: p(conv ? 3 : 2) };
      const inParam = p(conv ? 4 : 3);
      const { ctes, cols } = loadParts(params, false, '(select v from go)');
      const go = `go as (select ${claimed} and not (select v from stale) and exists (select 1 from a)${conv ? ` and (select ids is not null from cv)` : ''} as v)`;
      // The window as loaded (messages that exist, in order) followed by the new rows.
      const ids = `array(select id from win order by o) || array(select r.id from json_populate_recordset(null::messages, ${inParam}::text::json) r)`;
      const inCtes = input ? [messageInsertCte('in_ins', inParam, '(select v from go)'), contextUpdateCte('in_ctx', conv, params.conv ?? params.agent, ids, '(select v from go)', { ins: 'in_ins', agent: params.agent })] : [];
      return { ctes: [...ctes, go, ...inCtes], cols: [...cols, `(select v from go) as go`, `${input ? filledJson('in_ins') : `'[]'::json`} as in_filled`] };
    },
  };
}

/** The state and stored input a successful claim brought; undefined when the loop must load and write itself. */
export function preloadedFrom(row: Record<string, unknown> | undefined, agentId: string, conversationId: string | null | undefined, rows: MessageInsert[]): Preloaded | undefined {
  if (!row?.go) return undefined;
  return { state: stateFromLoaded(row as Loaded, agentId, conversationId, false, true), input: storedRows(rows, row.in_filled as Filled[]) };
}
