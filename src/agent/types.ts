// Plain shapes the pure agent runtime (context compiler, tool-rule solver, token budget) works on.
import { z } from 'zod';
import type { FunctionSchema } from '../tools/tool.js';

const AGENT_TYPES = [
  'letta_v1_agent',
  'memgpt_agent',
  'memgpt_v2_agent',
  'sleeptime_agent',
  'react_agent',
  'workflow_agent',
  'split_thread_agent',
  'voice_convo_agent',
  'voice_sleeptime_agent',
] as const;
export const AgentType = z.enum(AGENT_TYPES);
export type AgentType = z.infer<typeof AgentType>;

/** Agent types driven by the heartbeat loop: tool calls are mandatory and tools get `request_heartbeat`. */
export const HEARTBEAT_AGENT_TYPES: ReadonlySet<string> = new Set([
  'memgpt_agent',
  'memgpt_v2_agent',
  'react_agent',
  'workflow_agent',
  'split_thread_agent',
]);

type ToolType =
  | 'custom'
  | 'letta_core'
  | 'letta_memory_core'
  | 'letta_multi_agent_core'
  | 'letta_sleeptime_core'
  | 'letta_voice_sleeptime_core'
  | 'letta_builtin'
  | 'letta_files_core'
  | 'external_langchain'
  | 'external_composio'
  | 'external_mcp';

export type ToolView = {
  name: string;
  description: string | null;
  jsonSchema: FunctionSchema;
  toolType: ToolType;
  returnCharLimit: number;
  requiresApproval?: boolean;
};

/** What the model actually receives in the `tools` array. */
export type RenderedTool = { type: 'function'; function: FunctionSchema };

export type MemoryStats = {
  /** Stored messages that are no longer in the context window (total stored − in-context). */
  messagesInRecall: number;
  /** Archival passages reachable by the agent. */
  archivalCount: number;
  /** When a memory block was last changed; null when never. */
  lastMemoryEdit: Date | null;
  /** Distinct archival tags; rendered only when non-empty. */
  archivalTags?: string[];
  agentId?: string;
  conversationId?: string | null;
};
