// After a companion edited shared memory, recompile the primary's system message in the background, so the
// primary's next turn finds it current and does not spend its own time (memory counts, compile, write) on it.
// Same steps and the same turn lock as the loop's own recompile (src/agent/run-turn.ts), so the result is identical
// to what the primary would have written; conversations recompile their own copy on their next turn.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor.js';
import { loadTurnState } from '../agent/turn-store/load.js';
import { compiledFromSame, recompileIfChanged } from '../agent/loop/recompile-system.js';
import { writeSystemMessage } from '../agent/turn-store/turn-store.js';
import { withTurnLock } from '../agent/turn-store/lease.js';
import type { Db } from '../db/client.js';

/** True when the primary's system message was rewritten. */
export async function refreshPrimarySystem(db: Db, actor: Actor, primaryId: string, now: () => Date = () => new Date()): Promise<boolean> {
  const done = await withTurnLock(db, { agentId: primaryId }, `sleeptime-refresh-${randomUUID()}`, async () => {
    const state = await loadTurnState(db, actor, primaryId, null);
    if (compiledFromSame(state)) return false;
    const sys = recompileIfChanged(state, now());
    if (!sys) return false;
    await writeSystemMessage(db, sys);
    return true;
  });
  return done === true;
}
