// The end of a step: decide, build its message rows, and write them with the step and the changed blocks in one
// transaction — replaying memory edits on fresh block values when another writer got there first.
import type { ChatResponse } from '../../llm/types.js';
import { HEARTBEAT_AGENT_TYPES } from '../types.js';
import { decideHeartbeat, decideV1, type Decision } from './decide.js';
import type { ExecOutcome } from './execute-tools.js';
import { replayMemoryEdits } from './memory-replay.js';
import { assistantRow, heartbeatRow, toolRow, type RowBase, type StoredToolCall, type StoredToolReturn } from './message-rows.js';
import { recompileIfChanged } from './recompile-system.js';
import { applyStep, replaceBlocks, setCounts, setDirectories } from './turn-state.js';
import { listAgentBlockRows } from '../../memory/block-rows.js';
import type { StepInsert } from '../turn-store/turn-store.js';
import type { StepCtx } from './step-context.js';
import type { MessageInsert, MessageRow } from '../../db/rows.js';

const CAS_ATTEMPTS = 3;

export type StepParts = { base: RowBase; res: ChatResponse; calls: StoredToolCall[]; messageId: string; isLast: boolean; llmMs?: number };
export type Committed = { decision: Decision; stored: MessageRow[]; finished?: boolean };

export function decideStep(c: StepCtx, p: StepParts, exec: ExecOutcome): Decision {
  const heartbeatLoop = HEARTBEAT_AGENT_TYPES.has(c.state.agent.agentType);
  let decision: Decision = exec.invalidPrefill
    ? { continue: false, stopReason: 'invalid_tool_call' }
    : heartbeatLoop
      ? decideHeartbeat(exec.executed, c.solver)
      : decideV1(p.res, exec.executed, c.solver);
  if (decision.continue && p.isLast) decision = { continue: false, stopReason: 'max_steps' };
  return decision;
}

export function stepRows(c: StepCtx, p: StepParts, exec: ExecOutcome, decision: Decision): MessageInsert[] {
  const done = new Map(exec.executed.map((e) => [e.call.id, e]));
  const finalCalls = p.calls.map((call) => done.get(call.id)?.call ?? call);
  const returns: StoredToolReturn[] = p.calls.map(
    (call) =>
      done.get(call.id)?.ret ?? {
        tool_call_id: call.id,
        name: call.function.name,
        status: 'error',
        stdout: null,
        stderr: null,
        func_response: JSON.stringify({ status: 'Failed', message: exec.invalidPrefill ?? 'not executed', time: c.now().toISOString() }),
      },
  );
  const rows: MessageInsert[] = [];
  if (finalCalls.length || p.res.text || p.res.reasoning.length)
    rows.push(assistantRow(p.base, p.res, finalCalls, 'assistant', p.messageId));
  if (returns.length) rows.push(toolRow(p.base, returns));
  if (decision.continue && decision.heartbeatReason)
    rows.push(heartbeatRow(p.base, decision.heartbeatReason, c.now(), c.state.agent.timezone));
  return rows;
}

/**
 * Writes the step through the store; after a block conflict, replays the memory edits on fresh values and rebuilds
 * rows and decision (at most CAS_ATTEMPTS times, then the edits are reported as failed).
 */
export async function commitStep(
  c: StepCtx,
  stepFor: (d: Decision) => StepInsert,
  first: { rows: MessageInsert[]; decision: Decision },
  exec?: ExecOutcome,
  p?: StepParts,
): Promise<Committed> {
  let cur = first;
  // The post-model cancel check folded into the write (only when no tool ran: their effects are already done).
  const guard = c.foldCancelCheck && (p?.calls.length ?? 0) === 0 && !exec?.executed.length;
  const s = c.state;
  // The memory tool's structural changes are already written; the state follows them before the step is.
  if (exec?.restructured) replaceBlocks(s, exec.restructured);
  for (let attempt = 0; ; attempt++) {
    const changed = exec?.changedBlocks ?? [];
    const finish = !cur.decision.continue && p && c.closeWith ? c.closeWith(cur.decision, p.res.usage, p.llmMs) : undefined;
    const system = await systemAfter(c, exec, cur.rows.length);
    const w = await c.store.writeStep({
      thread: { agentId: s.agent.id, conversationId: s.conversationId },
      contextIds: s.context.map((m) => m.id),
      rows: cur.rows,
      step: stepFor(cur.decision),
      changedBlocks: changed,
      system,
      relaxed: c.deps.relaxedCommits,
      cancelGuardRunId: guard ? c.req.runId : undefined,
      finish,
    });
    if (w.ok) {
      applyStep(s, w, system);
      if (changed.length || exec?.restructured)
        await c.deps.memoryEdited?.(
          c.req.actor,
          s.agent.id,
          changed.map((b) => b.id),
        );
      return { decision: cur.decision, stored: w.stored, finished: Boolean(finish) };
    }
    if (w.cancelled) {
      const decision: Decision = { continue: false, stopReason: 'cancelled' };
      await c.store.writeStep({
        thread: { agentId: s.agent.id, conversationId: s.conversationId },
        contextIds: s.context.map((m) => m.id),
        rows: [],
        step: { ...stepFor(decision), status: 'cancelled' },
      });
      return { decision, stored: [] };
    }
    c.deps.log?.info(
      { agentId: s.agent.id, runId: c.req.runId, blocks: w.conflicted, attempt },
      'block changed concurrently; replaying memory edits',
    );
    if (!exec || !p || !changed.length) throw new Error('block conflict without memory edits to replay');
    replaceBlocks(s, await listAgentBlockRows(c.deps.db, s.agent.organizationId, s.agent.id));
    exec = await replayMemoryEdits(s, exec, c.now, attempt + 1 >= CAS_ATTEMPTS);
    const decision = decideStep(c, p, exec);
    cur = { rows: stepRows(c, p, exec, decision), decision };
  }
}

/**
 * The system message after a step that edited memory or inserted archival passages (null when its text stays):
 * compiled from the step's block values and counts as they will be once the step's `rows` are stored.
 */
export async function systemAfter(
  c: Pick<StepCtx, 'state' | 'store' | 'now'>,
  exec: ExecOutcome | undefined,
  rows: number,
): Promise<MessageRow | null> {
  const changed = exec?.changedBlocks ?? [];
  if (!changed.length && !exec?.archivalInserted && !exec?.restructured && !exec?.filesChanged) return null;
  if (exec?.archivalInserted) setCounts(c.state, await c.store.counts(c.state.agent.id));
  if (exec?.filesChanged) setDirectories(c.state, await c.store.directories(c.state.agent.id));
  const s = c.state;
  const blocks = s.blocks.map((b) => changed.find((x) => x.id === b.id) ?? b);
  return recompileIfChanged({ ...s, blocks, totalMessages: s.totalMessages + rows }, c.now(), Boolean(exec?.archivalInserted));
}
