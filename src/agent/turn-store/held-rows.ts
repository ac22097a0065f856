// The tool and message rows a thread's last turn loaded, by `id:xmin` (every new version of a row has a new xmin).
// The next load of the thread names the versions held here and the database ships only the others in full: from one
// turn to the next most of a window is unchanged, and reading it again cost more CPU than the rest of a text turn's
// store work. Per database, for a bounded number of threads; the rows are frozen (later turns hand out the same ones).
import type { Db } from '../../db/client.js';
import type { MessageRow, ToolRow } from '../../db/rows.js';

export type HeldRows = { tools: ReadonlyMap<string, ToolRow>; messages: ReadonlyMap<string, MessageRow> };

const MAX_THREADS = 256;
/** A larger window is loaded in full every turn rather than held (bounds the memory held per thread). */
const MAX_ROWS = 500;

export const NO_ROWS: HeldRows = { tools: new Map(), messages: new Map() };
const threads = new WeakMap<Db, Map<string, HeldRows>>();

const threadKey = (agentId: string, conversationId: string | null | undefined) => `${agentId}/${conversationId ?? ''}`;

export function heldRows(db: Db, agentId: string, conversationId: string | null | undefined): HeldRows {
  return threads.get(db)?.get(threadKey(agentId, conversationId)) ?? NO_ROWS;
}

/** What `held` names to the database: the keys of every row held. */
export function heldKeys(held: HeldRows): string {
  return JSON.stringify([...held.tools.keys(), ...held.messages.keys()]);
}

/** Keeps the rows of a thread's latest load (the least recently loaded thread goes first). */
export function holdRows(db: Db, agentId: string, conversationId: string | null | undefined, rows: HeldRows): void {
  let byThread = threads.get(db);
  if (!byThread) {
    byThread = new Map();
    threads.set(db, byThread);
  }
  const key = threadKey(agentId, conversationId);
  byThread.delete(key);
  if (rows.tools.size + rows.messages.size > MAX_ROWS) return;
  byThread.set(key, rows);
  if (byThread.size > MAX_THREADS) {
    const oldest = byThread.keys().next();
    if (!oldest.done) byThread.delete(oldest.value);
  }
}
