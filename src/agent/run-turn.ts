// The agent loop. One turn: claim the thread → load its state (storing the input) → steps (compile context, call the
// model, run tools, write the step) until one stops the turn → finish the run. Reads and writes go through the turn
// store (src/agent/turn-store/); the state changes only in loop/turn-state.ts.
import { newId } from '../ids.js';
import { emptyUsage, type Usage } from '../llm/types.js';
import { UnknownProviderError, type ResolvedModel } from '../llm/registry-types.js';
import { toLettaMessages } from './letta-message.mapper.js';
import { clientErrorText } from '../text/safe-detail.js';
import { countTokens } from './token-budget.js';
import { createToolRuleSolver } from './tool-rules.js';
import { HEARTBEAT_AGENT_TYPES } from './types.js';
import { answerApproval } from './loop/approval-input.js';
import type { Decision } from './loop/decide.js';
import { inputRow } from './loop/message-rows.js';
import { compiledFromSame, recompileIfChanged } from './loop/recompile-system.js';
import { runStep } from './loop/run-step.js';
import type { StepCtx } from './loop/step-context.js';
import { logTurn } from './loop/turn-log.js';
import { appendMessages, setSystem } from './loop/turn-state.js';
import { createTurnStore, type RunOutcome, type ClaimedTurn, type TurnStore } from './turn-store/turn-store.js';
import type { LettaMessage, LoopDeps, TurnRequest, TurnResult, TurnSink } from './loop/types.js';
import type { StopReason, TurnState, TurnUsage } from './turn-types.js';

const DEFAULT_MAX_STEPS = 50;

function addUsage(total: TurnUsage, u: Usage): void {
  total.promptTokens += u.promptTokens;
  total.completionTokens += u.completionTokens;
  total.totalTokens += u.totalTokens;
  if (u.cachedInputTokens != null) total.cachedInputTokens = (total.cachedInputTokens ?? 0) + u.cachedInputTokens;
  if (u.reasoningTokens != null) total.reasoningTokens = (total.reasoningTokens ?? 0) + u.reasoningTokens;
}

/** What one turn accumulates for its result and its run's finish. */
type Turn = { store: TurnStore; started: bigint; usage: TurnUsage; messages: LettaMessage[]; ttftNs: number | null };
/** How the steps ended; `finished` when the last step's write already closed the run and freed the lease. */
type Ended = { stopReason: StopReason; error?: string; errorKind?: string; finished?: boolean };

export async function runTurn(turnDeps: LoopDeps, req: TurnRequest, sink: TurnSink = {}): Promise<TurnResult> {
  // A streamed turn shows each step as it is stored, so each of its writes waits for the WAL flush.
  const deps = sink.live && turnDeps.relaxedCommits ? { ...turnDeps, relaxedCommits: false } : turnDeps;
  const store = deps.store ?? createTurnStore(deps.db);
  const turn: Turn = { store, started: process.hrtime.bigint(), usage: { ...emptyUsage(), stepCount: 0 }, messages: [], ttftNs: null };
  const isCancelled = sink.isCancelled ?? (() => store.cancelRequested(req.runId));
  // The input is stored with the state's load; an answer to a pending approval is stored by its own step instead.
  const base = { organizationId: req.actor.orgId, agentId: req.agentId, conversationId: req.conversationId ?? null, runId: req.runId };
  const input = req.approvalInput?.length ? [] : req.input.map((m) => inputRow(base, m));
  const start = {
    actor: req.actor,
    scope: { agentId: req.agentId, conversationId: req.conversationId },
    runId: req.runId,
    newRun: req.newRun,
    input,
  };
  const lease = await store.claim(start, {
    pollMs: deps.lockPollMs,
    leaseMs: deps.leaseMs,
    isCancelled,
    relaxedCommit: deps.relaxedCommits,
  });
  let ended: Ended = { stopReason: 'cancelled' };
  if (lease) {
    try {
      ended = await runLocked(deps, req, { ...sink, isCancelled }, turn, lease, !sink.isCancelled);
    } catch (e) {
      ended = { stopReason: 'error', error: clientErrorText(e) };
      deps.log?.error({ err: e, agentId: req.agentId, runId: req.runId }, 'agent turn failed');
    }
  }
  let leaseDeleted = Boolean(ended.finished);
  try {
    if (!ended.finished) {
      await store.finish(outcome(req, turn, ended.stopReason, ended.error), lease ? { agentId: req.agentId, lease } : undefined);
      leaseDeleted = true;
    }
  } finally {
    await lease?.release({ deleted: leaseDeleted });
  }
  logTurn(deps.log, req, { ...ended, usage: turn.usage, startedNs: turn.started });
  try {
    deps.afterTurn?.({ actor: req.actor, agentId: req.agentId, runId: req.runId, stopReason: ended.stopReason, messages: turn.messages });
  } catch (e) {
    deps.log?.warn({ err: e, runId: req.runId }, 'afterTurn hook failed');
  }
  return {
    runId: req.runId,
    messages: turn.messages,
    stopReason: ended.stopReason,
    usage: turn.usage,
    error: ended.error,
    errorKind: ended.errorKind,
  };
}

function outcome(req: TurnRequest, turn: Turn, stopReason: StopReason, error?: string): RunOutcome {
  return {
    runId: req.runId,
    stopReason,
    usage: turn.usage,
    durationNs: Number(process.hrtime.bigint() - turn.started),
    ttftNs: turn.ttftNs,
    error,
  };
}

/**
 * What the run is closed with if the turn ends at a step (totals including that step): the step's write then closes
 * the run itself. Only for plain requests: a streamed or background run stays open until its last event is out.
 */
function closingWith(req: TurnRequest, turn: Turn, lease: ClaimedTurn): StepCtx['closeWith'] {
  return (d: Decision, stepUsage: Usage, llmMs?: number) => {
    const usage: TurnUsage = { ...turn.usage, stepCount: turn.usage.stepCount + 1 };
    addUsage(usage, stepUsage);
    const ttftNs = turn.ttftNs ?? (llmMs !== undefined ? llmMs * 1e6 : null);
    const o = { ...outcome(req, turn, d.stopReason ?? 'end_turn'), usage, ttftNs };
    return { outcome: o, lease: { key: lease.key, holder: lease.holder } };
  };
}

async function resolveModel(deps: LoopDeps, state: TurnState, override?: string | null): Promise<ResolvedModel | string> {
  const cfg = state.agent.llmConfig;
  const handle = override ?? cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`;
  try {
    return deps.registry.resolve(handle);
  } catch (e) {
    // Not one of the operator's providers: maybe one of the organization's own (BYOK).
    if (e instanceof UnknownProviderError && deps.orgModels) {
      try {
        return await deps.orgModels(state.agent.organizationId, handle);
      } catch (e2) {
        return e2 instanceof Error ? e2.message : String(e2);
      }
    }
    return e instanceof Error ? e.message : String(e);
  }
}

async function emit(turn: Turn, sink: TurnSink, messages: LettaMessage[]): Promise<void> {
  for (const m of messages) {
    turn.messages.push(m);
    await sink.onMessage?.(m);
  }
}

type LiveSink = TurnSink & { isCancelled(): boolean | Promise<boolean> };

/** `dbCancelOnly`: the run's cancel flag is only in the database (no caller-side cancel to watch). */
async function runLocked(
  deps: LoopDeps,
  req: TurnRequest,
  sink: LiveSink,
  turn: Turn,
  lease: ClaimedTurn,
  dbCancelOnly: boolean,
): Promise<Ended> {
  const { store } = turn;
  const now = deps.now ?? (() => new Date());
  const { state, input } = await store.load(lease, deps.relaxedCommits);
  const model = await resolveModel(deps, state, req.overrideModel);
  if (typeof model === 'string') return { stopReason: 'llm_api_error', error: model };
  // Inputs equal to the last compile's (their hash) leave the stored system message as it is.
  const sys = compiledFromSame(state) ? null : recompileIfChanged(state, now());
  if (sys) {
    await store.writeSystem(sys);
    setSystem(state, sys);
  }
  const window = state.agent.llmConfig.context_window ?? model.contextWindow;
  const sysText = state.context[0]?.text ?? '';
  if (sysText.length / 2 > window && countTokens(sysText) >= window)
    return { stopReason: 'context_window_overflow_in_system_prompt', error: 'system prompt alone exceeds the context window' };
  const solver = createToolRuleSolver(
    state.agent.toolRules,
    state.tools.map((t) => t.name),
  );
  // With only the database's cancel flag to watch, a step without tool calls checks it inside its own write, and the
  // turn's last step closes the run in its write.
  const ctx: StepCtx = {
    deps,
    store,
    req,
    sink,
    state,
    solver,
    model,
    now,
    foldCancelCheck: dbCancelOnly,
    closeWith: dbCancelOnly ? closingWith(req, turn, lease) : undefined,
  };
  const legacy = HEARTBEAT_AGENT_TYPES.has(state.agent.agentType);
  appendMessages(state, input);
  if (req.approvalInput?.length) await emit(turn, sink, toLettaMessages(await answerApproval(ctx, req.approvalInput), { legacy }));
  const maxSteps = Math.max(1, req.maxSteps ?? DEFAULT_MAX_STEPS);
  for (let i = 0; i < maxSteps; i++) {
    // The first check reuses the flag the claim read (unless approved tools ran since); a cancel arriving in between
    // is seen right after the model call.
    const reuseClaim = i === 0 && !req.approvalInput?.length;
    if (reuseClaim ? lease.cancelledAtClaim : await sink.isCancelled()) return { stopReason: 'cancelled' };
    const stepId = newId('step');
    sink.onStepStart?.(stepId);
    const r = await runStep(ctx, stepId, i === maxSteps - 1);
    if (r.usage) addUsage(turn.usage, r.usage);
    if (r.usage?.totalTokens) turn.usage.contextTokens = r.usage.totalTokens;
    turn.usage.stepCount += 1;
    if (turn.ttftNs === null && r.llmMs !== undefined) turn.ttftNs = r.llmMs * 1e6;
    await emit(turn, sink, toLettaMessages(r.stored, { legacy }));
    if (!r.decision.continue)
      return { stopReason: r.decision.stopReason ?? 'end_turn', error: r.error, errorKind: r.errorKind, finished: r.finished };
  }
  return { stopReason: 'max_steps' };
}
