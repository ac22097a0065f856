// The tool-rule shapes (Letta field names): validated on the wire, stored in agents.tool_rules, read by the solver.
import { z } from 'zod';

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

/** One entry of `tool_rules[]`, discriminated by `type`. */
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
