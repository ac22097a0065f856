// After a block compare-and-swap conflict: re-read the blocks and replay the step's memory edits (the operations,
// not their results) on the fresh values. An edit that no longer applies becomes a failed tool result.
import { getBuiltinTool } from '../../tools/builtin/registry.js';
import { packageToolReturn, runBuiltinTool, stringifyToolValue, type ToolContext } from '../../tools/tool.js';
import { newSnapshot, snapshotMemory, type ExecOutcome, type ExecutedCall } from './execute-tools.js';
import type { TurnState } from '../turn-types.js';

const CONFLICT_NOTE = 'The memory edit was not saved: the block was changed at the same time by someone else';
const GAVE_UP = `${CONFLICT_NOTE}, repeatedly. Read the block's current value and try the edit again.`;

function failed(e: ExecutedCall, message: string, tz: string, now: Date): ExecutedCall {
  const func_response = packageToolReturn('Failed', message, tz, now);
  return { ...e, ok: false, ret: { ...e.ret, status: 'error', func_response } };
}

async function replayOne(e: ExecutedCall, ctx: ToolContext, tz: string, now: Date): Promise<ExecutedCall> {
  const tool = getBuiltinTool(e.call.function.name);
  if (!tool || !e.memoryArgs) return e;
  const r = await runBuiltinTool(tool, e.memoryArgs, ctx);
  if (r.status === 'error')
    return failed(e, `${CONFLICT_NOTE}, and on the new value the edit no longer applies: ${stringifyToolValue(r.value)}`, tz, now);
  return { ...e, ok: true, ret: { ...e.ret, status: 'success', func_response: packageToolReturn('OK', r.value ?? null, tz, now) } };
}

/**
 * Replays every memory edit of `exec` on the state's blocks (freshly re-read by the caller), in order. With
 * `giveUp`, the edits are not replayed but all reported as failed (no block change is written).
 */
export async function replayMemoryEdits(state: TurnState, exec: ExecOutcome, now: () => Date, giveUp = false): Promise<ExecOutcome> {
  const tz = state.agent.timezone;
  const snap = newSnapshot(state.blocks);
  const changed = snap.changed;
  const ctx = { agentId: state.agent.id, timezone: tz, now, memory: snapshotMemory(snap) } as ToolContext;
  const executed: ExecutedCall[] = [];
  for (const e of exec.executed) {
    if (!e.memoryArgs || !e.ok) executed.push(e);
    else executed.push(giveUp ? failed(e, GAVE_UP, tz, now()) : await replayOne(e, ctx, tz, now()));
  }
  return { ...exec, executed, changedBlocks: giveUp ? [] : [...changed.values()] };
}
