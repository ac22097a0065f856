// The agent loop: one turn = lock → load state → recompile system → persist input → steps until a stop → finish run.
// Contract: /work/notes/loop-contract.md.
import { newId } from '../ids.js';
import { emptyUsage, type Usage } from '../llm/types.js';
import type { ResolvedModel } from '../llm/registry-types.js';
import { toLettaMessages } from '../resources/messages/letta-message.mapper.js';
import { countTokens } from './token-budget.js';
import { createToolRuleSolver } from './tool-rules.js';
import { HEARTBEAT_AGENT_TYPES, type ToolRule } from './types.js';
import { answerApproval } from './loop/approval-input.js';
import type { Decision } from './loop/decide.js';
import { finishRun, type RunOutcome } from './loop/finish-run.js';
import { ensureCounts, loadTurnState } from './loop/load-state.js';
import { inputRow } from './loop/message-rows.js';
import { persistInput } from './loop/persist-step.js';
import { cancelRequested } from './loop/hot-sql.js';
import { compiledFromSame, recompileIfChanged, writeSystemMessage } from './loop/recompile-system.js';
import { runStep, type StepCtx } from './loop/run-step.js';
import { acquireTurn } from './loop/turn-lock.js';
import { preloadedFrom, turnPiggyback, type Preloaded } from './loop/claim-load.js';
import type { LettaMessage, LoopDeps, StopReason, TurnRequest, TurnResult, TurnSink, TurnState, TurnUsage } from './loop/types.js';
import { clientErrorText } from '../text/safe-detail.js';
import type { MessageInsert } from '../db/rows.js';

export const DEFAULT_MAX_STEPS = 50;

function addUsage(total: TurnUsage, u: Usage): void {
  total.promptTokens += u.promptTokens;
  total.completionTokens += u.completionTokens;
  total.totalTokens += u.totalTokens;
  if (u.cachedInputTokens != null) total.cachedInputTokens = (total.cachedInputTokens ?? 0) + u.cachedInputTokens;
  if (u.reasoningTokens != null) total.reasoningTokens = (total.reasoningTokens ?? 0) + u.reasoningTokens;
}

export async function runTurn(turnDeps: LoopDeps, req: TurnRequest, sink: TurnSink = {}): Promise<TurnResult> {
  const started = process.hrtime.bigint();
  // Relaxed commits only where nothing reaches the client before the turn's last, flushing, write: a streamed turn
  // shows each step as it is stored, so each of its writes waits for the flush.
  const deps = sink.live && turnDeps.relaxedCommits ? { ...turnDeps, relaxedCommits: false } : turnDeps;
  const isCancelled = sink.isCancelled ?? (() => cancelRequested(deps.db, deps.raw, req.runId));
  const usage: TurnUsage = { ...emptyUsage(), stepCount: 0 };
  const out: Out = { messages: [], ttftNs: null };
  // With prepared statements the claim also loads the state and stores the input (claim-load.ts).
  const inputRows = req.approvalInput?.length ? [] : req.input.map((m) => inputRow({ organizationId: req.actor.orgId, agentId: req.agentId, conversationId: req.conversationId ?? null, runId: req.runId }, m));
  const piggyback = deps.raw ? turnPiggyback(req.actor, req.agentId, req.conversationId, inputRows) : undefined;
  const lease = await acquireTurn(deps.db, { agentId: req.agentId, conversationId: req.conversationId }, req.runId, { pollMs: deps.lockPollMs, leaseMs: deps.leaseMs, isCancelled, relaxedCommit: deps.relaxedCommits, raw: deps.raw, newRun: req.newRun, piggyback });
  let r: Locked = { stopReason: 'cancelled' };
  if (lease) {
    try {
      const dbCancelOnly = !sink.isCancelled;
      // Only for plain requests: a streamed or background run must stay open until its last event is out.
      const finishOutcome = dbCancelOnly ? finishOutcomeFor(req, lease, usage, out, started) : undefined;
      const pre = piggyback ? preloadedFrom(lease.claimRow, req.agentId, req.conversationId, inputRows) : undefined;
      r = await runLocked(deps, req, { ...sink, isCancelled }, usage, out, { cancelledAtClaim: lease.cancelledAtClaim, dbCancelOnly, finishOutcome, pre, inputRows });
    } catch (e) {
      r = { stopReason: 'error', error: clientErrorText(e) };
      deps.log?.error({ err: e, agentId: req.agentId, runId: req.runId }, 'agent turn failed');
    }
  }
  let leaseDeleted = Boolean(r.finished);
  try {
    if (!r.finished) {
      const held = lease ? { key: lease.key, holder: lease.holder } : undefined;
      await finishRun(deps.db, { runId: req.runId, agentId: lease ? req.agentId : undefined, lease: held, stopReason: r.stopReason, usage, durationNs: Number(process.hrtime.bigint() - started), ttftNs: out.ttftNs, error: r.error }, deps.raw);
      leaseDeleted = true;
    }
  } finally {
    await lease?.release({ deleted: leaseDeleted });
  }
  try {
    deps.afterTurn?.({ actor: req.actor, agentId: req.agentId, runId: req.runId, stopReason: r.stopReason, messages: out.messages });
  } catch (e) {
    deps.log?.warn({ err: e, runId: req.runId }, 'afterTurn hook failed');
  }
  return { runId: req.runId, messages: out.messages, stopReason: r.stopReason, usage, error: r.error, errorKind: r.errorKind };
}

/** How runLocked ended; `finished` when the last step's write already closed the run and freed the lease. */
type Locked = { stopReason: StopReason; error?: string; errorKind?: string; finished?: boolean };

/**
 * What the run is closed with if the turn ends at a step (totals including that step): the step's write then closes
 * the run itself, one statement less than a separate finish.
 */
function finishOutcomeFor(req: TurnRequest, lease: { key: string; holder: string }, usage: TurnUsage, out: Out, started: bigint) {
  return (d: Decision, stepUsage: Usage, llmMs?: number): RunOutcome => {
    const total: TurnUsage = { ...usage, stepCount: usage.stepCount + 1 };
    addUsage(total, stepUsage);
    const ttftNs = out.ttftNs ?? (llmMs !== undefined ? llmMs * 1e6 : null);
    return { runId: req.runId, agentId: req.agentId, lease: { key: lease.key, holder: lease.holder }, stopReason: d.stopReason ?? 'end_turn', usage: total, durationNs: Number(process.hrtime.bigint() - started), ttftNs };
  };
}

type Out = { messages: LettaMessage[]; ttftNs: number | null };

function resolveModel(deps: LoopDeps, state: TurnState, override?: string | null): ResolvedModel | string {
  const cfg = state.agent.llmConfig as { handle?: string | null; model_endpoint_type?: string; model?: string };
  const handle = override ?? cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`;
  try {
    return deps.registry.resolve(handle);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

type LockedOptions = { cancelledAtClaim: boolean; dbCancelOnly: boolean; finishOutcome: StepCtx['finishOutcome']; pre?: Preloaded; inputRows: MessageInsert[] };

async function runLocked(deps: LoopDeps, req: TurnRequest, sink: TurnSink & { isCancelled(): boolean | Promise<boolean> }, usage: TurnUsage, out: Out, o: LockedOptions): Promise<Locked> {
  const now = deps.now ?? (() => new Date());
  const state = o.pre?.state ?? (await loadTurnState(deps.db, req.actor, req.agentId, req.conversationId, { counts: false, raw: deps.raw }));
  // Input the claim already stored: in this state's window unless the state was loaded again after it.
  const stored = o.pre?.input;
  const model = resolveModel(deps, state, req.overrideModel);
  if (typeof model === 'string') return { stopReason: 'llm_api_error', error: model };
  const sameInputs = compiledFromSame(state);
  if (!sameInputs || req.overrideSystem) {
    const pending = state.countsPending;
    await ensureCounts(deps.db, state, deps.raw);
    // The memory metadata counts history before this turn's input, as when the input is written after the counts.
    if (pending && stored) state.totalMessages -= stored.length;
  }
  // Inputs equal to the last compile's (their hash, just compared) leave the stored text as it is.
  const sys = sameInputs ? null : recompileIfChanged(state, now());
  if (sys) {
    await writeSystemMessage(deps.db, sys);
    state.context[0] = sys;
  }
  const window = (state.agent.llmConfig as { context_window?: number }).context_window ?? model.contextWindow;
  const sysText = state.context[0]?.text ?? '';
  if (sysText.length / 2 > window && countTokens(sysText) >= window) return { stopReason: 'context_window_overflow_in_system_prompt', error: 'system prompt alone exceeds the context window' };
  const solver = createToolRuleSolver(state.agent.toolRules as ToolRule[], state.tools.map((t) => t.name));
  // With only the database's cancel flag to watch, a step without tool calls checks it inside its own write.
  const ctx: StepCtx = { deps, req, sink, state, solver, model, now, foldCancelCheck: o.dbCancelOnly, finishOutcome: o.finishOutcome };
  const legacy = HEARTBEAT_AGENT_TYPES.has(state.agent.agentType);
  if (req.approvalInput?.length) {
    // An answer to a pending approval: its tool results are this turn's input (src/agent/loop/approval-input.ts).
    for (const m of toLettaMessages(await answerApproval(ctx, req.approvalInput), { legacy })) {
      out.messages.push(m);
      await sink.onMessage?.(m);
    }
  } else if (stored) {
    if (o.pre?.state) state.context.push(...stored);
    state.totalMessages += stored.length;
  } else {
    const input = await persistInput(deps.db, { agentId: state.agent.id, conversationId: state.conversationId }, state.context.map((m) => m.id), o.inputRows, deps.relaxedCommits, deps.raw);
    state.context.push(...input);
    state.totalMessages += input.length;
  }
  const maxSteps = Math.max(1, req.maxSteps ?? DEFAULT_MAX_STEPS);
  for (let i = 0; i < maxSteps; i++) {
    // Without approved tools to run first, the first check reuses the flag the lock claim read a few ms ago; a cancel
    // arriving in between is seen right after the model call (the reply is then dropped).
    const reuseClaim = i === 0 && !req.approvalInput?.length;
    if (reuseClaim ? o.cancelledAtClaim : await sink.isCancelled()) return { stopReason: 'cancelled' };
    const stepId = newId('step');
    sink.onStepStart?.(stepId);
    const r = await runStep(ctx, stepId, i === maxSteps - 1);
    if (r.usage) addUsage(usage, r.usage);
    usage.stepCount += 1;
    if (out.ttftNs === null && r.llmMs !== undefined) out.ttftNs = r.llmMs * 1e6;
    for (const m of toLettaMessages(r.stored, { legacy })) {
      out.messages.push(m);
      await sink.onMessage?.(m);
    }
    if (!r.decision.continue) return { stopReason: r.decision.stopReason ?? 'end_turn', error: r.error, errorKind: r.errorKind, finished: r.finished };
  }
  return { stopReason: 'max_steps' };
}
