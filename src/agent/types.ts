// Plain shapes the pure agent runtime (context compiler, tool-rule solver, token budget) works on.
import { z } from 'zod';

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

export type BlockView = {
  id: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  readOnly: boolean;
  hidden?: boolean | null;
};

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

/** OpenAI function schema without the `{type:"function"}` wrapper (Letta's `json_schema`). */
export type FunctionSchema = {
  name: string;
  description?: string;
  parameters: { type: 'object'; properties: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  [k: string]: unknown;
};

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

const ruleBase = { tool_name: z.string().min(1), prompt_template: z.string().nullish() };
const argsRecord = z.record(z.string(), z.unknown());

const InitToolRuleSchema = z.object({ ...ruleBase, type: z.literal('run_first'), args: argsRecord.nullish() });
const TerminalToolRuleSchema = z.object({ ...ruleBase, type: z.literal('exit_loop') });
const ContinueToolRuleSchema = z.object({ ...ruleBase, type: z.literal('continue_loop') });
const ChildToolRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('constrain_child_tools'),
  children: z.array(z.string()),
  child_arg_nodes: z.array(z.object({ name: z.string(), args: argsRecord.nullish() })).nullish(),
});
const ParentToolRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('parent_last_tool'),
  children: z.array(z.string()),
});
const ConditionalToolRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('conditional'),
  default_child: z.string().nullish(),
  child_output_mapping: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, 'child_output_mapping must not be empty'),
  require_output_mapping: z.boolean().default(false),
});
const MaxCountPerStepToolRuleSchema = z.object({
  ...ruleBase,
  type: z.literal('max_count_per_step'),
  max_count_limit: z.number().int().min(1),
});
const RequiredBeforeExitToolRuleSchema = z.object({ ...ruleBase, type: z.literal('required_before_exit') });
const RequiresApprovalToolRuleSchema = z.object({ ...ruleBase, type: z.literal('requires_approval') });

/** Wire schema of one entry of `tool_rules[]` (Letta field names, discriminator `type`). */
export const ToolRuleSchema = z.discriminatedUnion('type', [
  InitToolRuleSchema,
  TerminalToolRuleSchema,
  ContinueToolRuleSchema,
  ChildToolRuleSchema,
  ParentToolRuleSchema,
  ConditionalToolRuleSchema,
  MaxCountPerStepToolRuleSchema,
  RequiredBeforeExitToolRuleSchema,
  RequiresApprovalToolRuleSchema,
]);
export type ToolRule = z.infer<typeof ToolRuleSchema>;

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
