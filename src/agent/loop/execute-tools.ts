// Phase 5: run the model's tool calls. Every mistake (bad JSON, unknown tool, rule violation, tool error) becomes a
// failed tool result the model reads; only bad rule-prefilled args stop the turn (invalid_tool_call).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { cleanValue } from '../../llm/clean-text.js';
import { getBuiltinTool } from '../../tools/builtin/registry.js';
import {
  mergePrefilledArgs,
  packageToolReturn,
  runBuiltinTool,
  stringifyToolValue,
  truncateToolReturn,
  type MemoryAccess,
  type ToolContext,
} from '../../tools/tool.js';
import { clipLines, clipText, DEFAULT_MAX_TOOL_RETURN_CHARS } from '../clip-text.js';
import { blockView } from '../system-message.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import { HEARTBEAT_AGENT_TYPES } from '../types.js';
import type { StoredToolCall, StoredToolReturn } from './message-rows.js';
import { sqlBlockStructure, type BlockSnapshot } from './block-structure.js';
import { sqlMemoryBackends } from './memory-backends.js';
import type { ExternalToolResult } from '../../tools/external/run-types.js';
import type { LoopDeps } from './types.js';
import type { TurnState } from '../turn-types.js';
import type { BlockRow, ToolRow } from '../../db/rows.js';

/** `memoryArgs` is set when the call edited a block: the operation is replayed on a fresh value after a conflict. */
export type ExecutedCall = {
  call: StoredToolCall;
  ret: StoredToolReturn;
  heartbeat: boolean;
  ok: boolean;
  violated: boolean;
  memoryArgs?: Record<string, unknown>;
};
/** `filesChanged`: a file tool ran, so the agent's file window (in the system message) may differ from the loaded one. */
export type ExecOutcome = {
  executed: ExecutedCall[];
  changedBlocks: BlockRow[];
  archivalInserted: boolean;
  invalidPrefill?: string;
  /** Every block after the step, when the memory tool created, deleted or relabelled one (already written). */
  restructured?: BlockRow[];
  filesChanged?: boolean;
};

const NO_TRUNCATE = new Set(['conversation_search', 'conversation_search_date', 'archival_memory_search']);

/** A MemoryAccess over copies of the agent's blocks; changed rows are persisted with the step. */
export function snapshotMemory(snap: BlockSnapshot, onSet?: () => void): MemoryAccess {
  const { byLabel, changed } = snap;
  return {
    labels: () => [...byLabel.keys()],
    get: (label) => {
      const b = byLabel.get(label);
      return b ? blockView(b) : undefined;
    },
    set: (label, value) => {
      const b = byLabel.get(label);
      if (!b) throw new Error(`no block labelled ${label}`);
      const next = { ...b, value, updatedAt: new Date() };
      byLabel.set(label, next);
      changed.set(label, next);
      onSet?.();
    },
  };
}

export function newSnapshot(blocks: BlockRow[]): BlockSnapshot {
  return { byLabel: new Map(blocks.map((b) => [b.label, b])), changed: new Map() };
}

function parseArgs(raw: string): Record<string, unknown> | string {
  if (!raw.trim()) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'tool arguments must be a JSON object';
  } catch (e) {
    return `Invalid JSON in tool arguments: ${(e as Error).message}`;
  }
}

type RunCtx = { deps: LoopDeps; db: Db; actor: Actor; state: TurnState; runId: string; stepId: string; toolCtx: ToolContext };

async function runOne(rc: RunCtx, tool: ToolRow, args: Record<string, unknown>): Promise<ExternalToolResult> {
  const builtin = tool.toolType !== 'custom' && tool.toolType !== 'external_mcp' ? getBuiltinTool(tool.name) : undefined;
  if (builtin) return runBuiltinTool(builtin, args, rc.toolCtx);
  if (!rc.deps.executeExternalTool) return { status: 'error', value: `tool type not supported yet: ${tool.toolType}` };
  try {
    return await rc.deps.executeExternalTool(tool, args, {
      actor: rc.actor,
      agentId: rc.state.agent.id,
      runId: rc.runId,
      stepId: rc.stepId,
      agent: rc.state.agent,
    });
  } catch (e) {
    return { status: 'error', value: `Error executing function ${tool.name}: ${(e as Error).message}`.slice(0, 1000) };
  }
}

function popHeartbeat(args: Record<string, unknown>): boolean {
  const hb = args.request_heartbeat;
  delete args.request_heartbeat;
  return hb === true || (typeof hb === 'string' && hb.toLowerCase() === 'true');
}

export async function executeToolCalls(
  rc: Omit<RunCtx, 'toolCtx'>,
  calls: StoredToolCall[],
  solver: ToolRuleSolver,
  now: () => Date,
): Promise<ExecOutcome> {
  const snap = newSnapshot(rc.state.blocks);
  const changed = snap.changed;
  let edited = false;
  let restructured = false;
  const memory = rc.deps.memory ?? sqlMemoryBackends;
  const agent = rc.state.agent;
  const hooks = { detached: rc.deps.blocksDetached, changed: () => (restructured = true) };
  const toolCtx: ToolContext = {
    agentId: agent.id,
    timezone: agent.timezone,
    now,
    memory: snapshotMemory(snap, () => (edited = true)),
    structure: sqlBlockStructure(rc.db, rc.actor, agent.id, snap, hooks),
    archival: memory.archival(rc.db, rc.actor, agent),
    recall: memory.recall(rc.db, rc.actor, agent),
    ...(rc.deps.web ? { web: rc.deps.web } : {}),
    ...(rc.deps.messenger ? { messenger: rc.deps.messenger({ actor: rc.actor, agentId: agent.id, runId: rc.runId }) } : {}),
  } as ToolContext;
  const heartbeatLoop = HEARTBEAT_AGENT_TYPES.has(agent.agentType);
  const executed: ExecutedCall[] = [];
  let archivalInserted = false;
  let filesChanged = false;
  for (const call of calls) {
    const name = call.function.name;
    const parsed = parseArgs(call.function.arguments);
    const args = typeof parsed === 'string' ? {} : parsed;
    const heartbeat = heartbeatLoop ? popHeartbeat(args) : false;
    const tool = rc.state.tools.find((t) => t.name === name);
    const allowed = solver.allowedTools().includes(name);
    let result: ExternalToolResult;
    let violated = false;
    let memoryArgs: Record<string, unknown> | undefined;
    if (typeof parsed === 'string') result = { status: 'error', value: parsed };
    else if (!tool) result = { status: 'error', value: `Tool ${name} not found: it is not attached to this agent` };
    else if (!allowed) {
      violated = true;
      result = { status: 'error', value: solver.violationMessage(name) };
    } else {
      const prefill = solver.prefilledArgs(name);
      let finalArgs = args;
      if (prefill) {
        const merged = mergePrefilledArgs(
          prefill.args,
          args,
          ((tool.jsonSchema as { parameters?: unknown } | null)?.parameters ?? { type: 'object', properties: {} }) as Parameters<
            typeof mergePrefilledArgs
          >[2],
          prefill.source,
        );
        if (!merged.ok) return { ...outcome(), invalidPrefill: merged.error };
        finalArgs = merged.args;
      }
      edited = false;
      result = await runOne({ ...rc, toolCtx }, tool, finalArgs);
      if (edited) memoryArgs = finalArgs;
      if (name === 'archival_memory_insert' && result.status === 'success') archivalInserted = true;
      if (tool.toolType === 'letta_files_core' && result.status === 'success') filesChanged = true;
    }
    // Tool output is outside text like a model reply: no NUL or lone surrogate may reach the stored message.
    result = {
      ...result,
      value: cleanValue(result.value),
      stdout: result.stdout && cleanValue(result.stdout),
      stderr: result.stderr && cleanValue(result.stderr),
    };
    const text = stringifyToolValue(result.value);
    // Every return is bounded by the server's ceiling; tools that are not exempt also by their own limit.
    const ceiling = rc.deps.limits?.toolReturnChars ?? DEFAULT_MAX_TOOL_RETURN_CHARS;
    const limit = Math.min(tool?.returnCharLimit ?? 50_000, ceiling);
    const own = NO_TRUNCATE.has(name) || text.length <= limit ? result.value : truncateToolReturn(text, limit);
    const message = text.length > ceiling && own === result.value ? clipText(text, ceiling) : own;
    const packaged = packageToolReturn(result.status === 'success' ? 'OK' : 'Failed', message ?? null, agent.timezone, now());
    if (!violated) solver.register(name, packaged);
    const io = (lines: string[] | undefined) => (lines ? clipLines(lines, ceiling) : null);
    const ret: StoredToolReturn = {
      tool_call_id: call.id,
      name,
      status: result.status,
      func_response: packaged,
      stdout: io(result.stdout),
      stderr: io(result.stderr),
    };
    const storedArgs =
      heartbeatLoop && typeof parsed !== 'string' ? JSON.stringify({ ...args, request_heartbeat: heartbeat }) : call.function.arguments;
    executed.push({
      call: { ...call, function: { name, arguments: storedArgs } },
      ret,
      heartbeat,
      ok: result.status === 'success',
      violated,
      memoryArgs,
    });
  }
  return outcome();

  function outcome(): ExecOutcome {
    const out = { executed, changedBlocks: [...changed.values()], archivalInserted, filesChanged };
    return restructured ? { ...out, restructured: [...snap.byLabel.values()] } : out;
  }
}
