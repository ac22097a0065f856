// The block, tool and message rows a thread's last turn loaded, by `id:xmin` (every new version of a row has a new xmin).
// The next load of the thread names the versions held here and the database ships only the others in full: from one
// turn to the next most of a window is unchanged, and parsing it again was most of a text turn's CPU in the store.
// Per database, bounded in threads and text held; the rows are frozen (later turns hand out the same objects).
import type { Db } from '../../db/client.js';
import type { BlockRow, MessageRow, ToolRow } from '../../db/rows.js';

export type HeldRows = {
  blocks: ReadonlyMap<string, BlockRow>;
  tools: ReadonlyMap<string, ToolRow>;
  messages: ReadonlyMap<string, MessageRow>;
};

const MAX_THREADS = 256;
/** Bound on the held blocks' and messages' text, in characters, over every thread (an estimate of the memory they keep). */
const MAX_CHARS = 8 * 1024 * 1024;

export const NO_ROWS: HeldRows = { blocks: new Map(), tools: new Map(), messages: new Map() };
type Held = { rows: HeldRows; chars: number };
type Threads = { byThread: Map<string, Held>; chars: number };
const threads = new WeakMap<Db, Threads>();

const threadKey = (agentId: string, conversationId: string | null | undefined) => `${agentId}/${conversationId ?? ''}`;

export function heldRows(db: Db, agentId: string, conversationId: string | null | undefined): HeldRows {
  return threads.get(db)?.byThread.get(threadKey(agentId, conversationId))?.rows ?? NO_ROWS;
}

/** What `held` names to the database: the keys of every row held. */
export function heldKeys(held: HeldRows): string {
  return JSON.stringify([...held.blocks.keys(), ...held.tools.keys(), ...held.messages.keys()]);
}

/** Keeps the rows of a thread's latest load; the least recently loaded threads go first when over the bounds. */
export function holdRows(db: Db, agentId: string, conversationId: string | null | undefined, rows: HeldRows): void {
  let t = threads.get(db);
  if (!t) {
    t = { byThread: new Map(), chars: 0 };
    threads.set(db, t);
  }
  const key = threadKey(agentId, conversationId);
  drop(t, key);
  let chars = 0;
  for (const b of rows.blocks.values()) chars += b.value.length;
  for (const m of rows.messages.values()) chars += m.text.length;
  if (chars > MAX_CHARS / 4) return;
  t.byThread.set(key, { rows, chars });
  t.chars += chars;
  for (const oldest of t.byThread.keys()) {
    if (t.byThread.size <= MAX_THREADS && t.chars <= MAX_CHARS) break;
    drop(t, oldest);
  }
}

function drop(t: Threads, key: string): void {
  const held = t.byThread.get(key);
  if (!held) return;
  t.byThread.delete(key);
  t.chars -= held.chars;
}
