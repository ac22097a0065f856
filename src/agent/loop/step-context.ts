// What every phase of one step works with: the turn's dependencies, request, sink, state and resolved model.
import type { ResolvedModel } from '../../llm/registry-types.js';
import type { Usage } from '../../llm/types.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import type { TurnState } from '../turn-types.js';
import type { StepWrite, TurnStore } from '../turn-store/turn-store.js';
import type { Decision } from './decide.js';
import type { LoopDeps, TurnRequest, TurnSink } from './types.js';

export type StepCtx = {
  deps: LoopDeps;
  store: TurnStore;
  req: TurnRequest;
  sink: TurnSink;
  state: TurnState;
  solver: ToolRuleSolver;
  model: ResolvedModel;
  now: () => Date;
  /** The run's cancel flag is only in the database: a step with no tools to run checks it in its write. */
  foldCancelCheck?: boolean;
  /** The run's closing values if the turn ended with this step: the step's write then closes the run as well. */
  closeWith?: (d: Decision, stepUsage: Usage, llmMs?: number) => NonNullable<StepWrite['finish']>;
};
