// Shapes shared by the phases of one agent turn.
import type { Logger } from 'pino';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import type { LlmRegistry } from '../../llm/registry.js';
import type { StreamEvent } from '../../llm/types.js';
import type { ExternalToolContext, ExternalToolResult } from '../../tools/external/run-types.js';
import type { ArchivalAccess, RecallAccess } from '../../tools/tool.js';
import type { AgentRow, ToolRow } from '../../db/rows.js';
import type { StopReason, TurnState, TurnUsage } from '../turn-types.js';

export type ContentPart = { type: string; [k: string]: unknown };
export type InputMessage = {
  role: 'user' | 'system' | 'assistant';
  content: string | ContentPart[];
  name?: string | null;
  otid?: string | null;
  sender_id?: string | null;
};

export type MemoryBackends = {
  archival(db: Db, actor: Actor, agent: AgentRow): ArchivalAccess;
  recall(db: Db, actor: Actor, agent: AgentRow): RecallAccess;
};

export type LoopDeps = {
  db: Db;
  registry: Pick<LlmRegistry, 'resolve'>;
  /** An organization's own (BYOK) handles, asked when the registry does not know the provider (src/llm/org-models.ts). */
  orgModels?: (orgId: string, handle: string) => Promise<import('../../llm/registry-types.js').ResolvedModel>;
  log?: Logger;
  now?: () => Date;
  memory?: MemoryBackends;
  executeExternalTool?: (tool: ToolRow, args: Record<string, unknown>, ctx: ExternalToolContext) => Promise<ExternalToolResult>;
  /** Multi-agent messaging handed to tools as ToolContext.messenger (src/multi-agent/messenger-types.ts). */
  messenger?: (c: { actor: Actor; agentId: string; runId: string }) => unknown;
  /** fetch_webpage / web_search access handed to tools as ToolContext.web (src/tools/web/web-access.ts). */
  web?: import('../../tools/web/web-access.js').WebAccess;
  /** After a step stored memory edits of the agent (git-backed memory commits them); never fails the step. */
  memoryEdited?: (actor: Actor, agentId: string, blockIds: string[]) => Promise<void>;
  /** Blocks the memory tool detached from an agent (sleep-time companions let go of them too). */
  blocksDetached?: (actor: Actor, agentId: string, blockIds: string[]) => Promise<void>;
  lockPollMs?: number;
  /**
   * Commit the turn's intermediate writes (lock claim, input, steps) without waiting for the WAL flush; the run's
   * final statement still commits synchronously and its flush covers every earlier write (WAL is sequential), so a
   * finished turn is as durable as before. A database crash mid-turn may lose the last steps already streamed.
   */
  relaxedCommits?: boolean;
  /** The turn's reads and writes (src/agent/turn-store/turn-store.ts); built on `db` when absent. */
  store?: import('../turn-store/turn-store.js').TurnStore;
  leaseMs?: number;
  /** Context compaction before each model call (src/agent/compaction/compactor.ts); may replace state.context. */
  compact?: (a: {
    state: TurnState;
    model: import('../../llm/registry-types.js').ResolvedModel;
    runId: string;
    signal?: AbortSignal;
    force?: boolean;
    emit?: (m: LettaMessage) => void | Promise<void>;
  }) => Promise<{ compacted: boolean }>;
  /** Size bounds on stored replies and tool returns (src/agent/clip-text.ts; defaults there). */
  limits?: { replyChars?: number; toolReturnChars?: number };
  /** Called after every turn (run finished, lock released); fire-and-forget. */
  afterTurn?: (t: { actor: Actor; agentId: string; runId: string; stopReason: StopReason; messages: LettaMessage[] }) => void;
};

export type TurnRequest = {
  actor: Actor;
  agentId: string;
  runId: string;
  /** A conversation of the agent: its own in-context window and turn lock (null/absent = the agent's default). */
  conversationId?: string | null;
  input: InputMessage[];
  maxSteps?: number;
  overrideModel?: string | null;
  overrideSystem?: string | null;
  stream?: boolean;
  signal?: AbortSignal;
  /** Approval / tool_return messages answering the pending approval request (src/agent/loop/approval-input.ts). */
  approvalInput?: Record<string, unknown>[];
  /** Tools the client runs itself, offered for this request only (src/agent/loop/approval-client-tools.ts). */
  clientTools?: ClientTool[];
  /** Emit compaction event_message/summary_message through the sink (include_compaction_messages). */
  includeCompactionMessages?: boolean;
  /** `runId` is not stored yet: the turn stores it with these fields before it queues for the thread. */
  newRun?: import('../../db/rows.js').NewRun;
};

/** A tool the client runs itself: offered to the model for one request; a call to it pauses the turn. */
export type ClientTool = { name: string; description?: string | null; parameters?: Record<string, unknown> | null };

export type LettaMessage = Record<string, unknown> & { id: string; message_type: string };

export type TurnSink = {
  /** Messages reach a client as they are stored (streams, background runs): every write then waits for its flush. */
  live?: boolean;
  onMessage?(m: LettaMessage): void | Promise<void>;
  onDelta?(ev: { stepId: string; messageId: string; event: StreamEvent }): void;
  onStepStart?(stepId: string): void;
  isCancelled?(): boolean | Promise<boolean>;
};

/** `errorKind`: the LlmError kind when a model call ended the turn (`timeout` for a missed deadline). */
export type TurnResult = {
  runId: string;
  messages: LettaMessage[];
  stopReason: StopReason;
  usage: TurnUsage;
  error?: string;
  errorKind?: string;
};
