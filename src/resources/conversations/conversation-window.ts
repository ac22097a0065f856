// A conversation's `context_window_limit`: its turns see the agent's model window clamped to that limit.
// The loop reads the window from `state.agent.llmConfig.context_window`; the clamp is applied through the
// compaction hook, which runs before every model call with the turn's live state.
import type { LoopDeps } from '../../agent/loop/types.js';
import type { TurnState } from '../../agent/turn-types.js';

/** Clamps the state's window in place (the loop keeps using this same state object for the whole turn). */
export function clampWindow(state: TurnState, limit: number | null | undefined): void {
  if (!limit) return;
  const cfg = state.agent.llmConfig;
  if (cfg.context_window <= limit) return;
  state.agent = { ...state.agent, llmConfig: { ...cfg, context_window: limit } };
}

/** Loop deps for one conversation's turns; unchanged when the conversation sets no limit. */
export function withWindowLimit(loop: LoopDeps, limit: number | null | undefined): LoopDeps {
  const compact = loop.compact;
  if (!limit || !compact) return loop;
  return {
    ...loop,
    compact: (a) => {
      clampWindow(a.state, limit);
      return compact(a);
    },
  };
}
