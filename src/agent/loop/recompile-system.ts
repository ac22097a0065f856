// Phase 2: keep the system message (message_ids[0], same id forever) in step with memory, tools and rules.
// The compiled text carries a timestamp and counters; they are frozen at the last compile (kept in `extras`) so an
// unchanged agent does not get a new system prompt every turn, which would defeat provider prompt caching.
import type { Db } from '../../db/client.js';
import { sql } from 'drizzle-orm';
import { messages } from '../../db/schema/index.js';
import { eq } from 'drizzle-orm';
import type { MessageRow } from '../../resources/messages/messages.repo.js';
import { compileAgentSystem } from '../system-message.js';
import type { MemoryStats } from '../types.js';
import type { TurnState } from './types.js';

type Frozen = { compiledAt: string; messagesInRecall: number; archivalCount: number; lastMemoryEdit: string | null };

function lastEdit(state: TurnState): Date | null {
  const times = state.blocks.map((b) => b.updatedAt.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

function freshStats(state: TurnState): MemoryStats {
  return {
    messagesInRecall: Math.max(0, state.totalMessages - state.context.length),
    archivalCount: state.archivalCount,
    lastMemoryEdit: lastEdit(state),
    agentId: state.agent.id,
  };
}

export function compileFresh(state: TurnState, now: Date, overrideSystem?: string | null): { text: string; frozen: Frozen } {
  const stats = freshStats(state);
  const text = compileAgentSystem(state.agent, state.blocks, state.tools, stats, now, overrideSystem ?? undefined);
  const frozen = { compiledAt: now.toISOString(), messagesInRecall: stats.messagesInRecall, archivalCount: stats.archivalCount, lastMemoryEdit: stats.lastMemoryEdit?.toISOString() ?? null };
  return { text, frozen };
}

/** The text the system message would have if nothing but memory/tools/rules changed since the last compile. */
function compileFrozen(state: TurnState, sys: MessageRow): string | null {
  const f = (sys.extras as { compiled?: Frozen }).compiled;
  if (!f) return null;
  const stats: MemoryStats = {
    messagesInRecall: f.messagesInRecall,
    archivalCount: f.archivalCount,
    lastMemoryEdit: f.lastMemoryEdit ? new Date(f.lastMemoryEdit) : null,
    agentId: state.agent.id,
  };
  return compileAgentSystem(state.agent, state.blocks, state.tools, stats, new Date(f.compiledAt));
}

/** Returns the new system row when the text must change (memory/tools/rules changed, or `force`), else null. */
export function recompileIfChanged(state: TurnState, now: Date, force = false): MessageRow | null {
  const sys = state.context[0];
  if (!sys) return null;
  if (!force && compileFrozen(state, sys) === sys.text) return null;
  const { text, frozen } = compileFresh(state, now);
  if (!force && text === sys.text) return null;
  return { ...sys, text, content: [{ type: 'text', text }], extras: { ...sys.extras, compiled: frozen } };
}

export async function writeSystemMessage(db: Db, row: MessageRow): Promise<void> {
  await db
    .update(messages)
    .set({ text: row.text, content: row.content, extras: row.extras, updatedAt: sql`now()` })
    .where(eq(messages.id, row.id));
}
