// Phase 2: keep the system message (message_ids[0], same id forever) in step with memory, tools and rules.
// The compiled text carries a timestamp and counters; they are frozen at the last compile (kept in `extras`) so an
// unchanged agent does not get a new system prompt every turn, which would defeat provider prompt caching.
import { createHash } from 'node:crypto';
import { compileAgentSystem, directoriesOf } from '../system-message.js';
import type { MemoryStats } from '../types.js';
import type { TurnState } from '../turn-types.js';
import type { MessageRow } from '../../db/rows.js';

type Frozen = { compiledAt: string; messagesInRecall: number; archivalCount: number; lastMemoryEdit: string | null; key?: string };

/**
 * A hash of every input of the compiled text except the frozen counters; equal keys mean an unchanged prompt, so
 * the common turn skips compiling the system message just to compare it.
 */
function inputsKey(state: TurnState): string {
  const a = state.agent;
  const h = createHash('sha1');
  h.update(JSON.stringify([a.system, a.agentType, a.timezone, a.toolRules, a.llmConfig.model_endpoint_type ?? null, directoriesOf(a)]));
  for (const b of state.blocks)
    h.update(
      `\u0001${b.id}\u0002${b.label}\u0002${b.limit}\u0002${b.readOnly}\u0002${b.hidden}\u0002${b.description ?? ''}\u0002${b.value}`,
    );
  for (const t of state.tools) h.update(`\u0003${t.id}\u0002${t.updatedAt.getTime()}\u0002${t.name}`);
  return h.digest('base64');
}

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
    conversationId: state.conversationId,
  };
}

export function compileFresh(state: TurnState, now: Date, overrideSystem?: string | null): { text: string; frozen: Frozen } {
  const stats = freshStats(state);
  const text = compileAgentSystem(state.agent, state.blocks, state.tools, stats, now, overrideSystem ?? undefined);
  const frozen = {
    compiledAt: now.toISOString(),
    messagesInRecall: stats.messagesInRecall,
    archivalCount: stats.archivalCount,
    lastMemoryEdit: stats.lastMemoryEdit?.toISOString() ?? null,
    key: overrideSystem ? undefined : inputsKey(state),
  };
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
    conversationId: state.conversationId,
  };
  return compileAgentSystem(state.agent, state.blocks, state.tools, stats, new Date(f.compiledAt));
}

/** True when the stored system message was compiled from exactly these inputs (no compile needed). */
export function compiledFromSame(state: TurnState): boolean {
  const key = (state.context[0]?.extras as { compiled?: Frozen } | undefined)?.compiled?.key;
  return Boolean(key && key === inputsKey(state));
}

/** Returns the new system row when the text must change (memory/tools/rules changed, or `force`), else null. */
export function recompileIfChanged(state: TurnState, now: Date, force = false): MessageRow | null {
  const sys = state.context[0];
  if (!sys) return null;
  const key = (sys.extras as { compiled?: Frozen }).compiled?.key;
  if (!force && key && key === inputsKey(state)) return null;
  if (!force && compileFrozen(state, sys) === sys.text) return null;
  const { text, frozen } = compileFresh(state, now);
  if (!force && text === sys.text) return null;
  return { ...sys, text, content: [{ type: 'text', text }], extras: { ...sys.extras, compiled: frozen } };
}
