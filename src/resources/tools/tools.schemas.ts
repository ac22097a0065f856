import { z } from 'zod';

export const TOOL_TYPES = [
  'custom', 'letta_core', 'letta_memory_core', 'letta_multi_agent_core', 'letta_sleeptime_core',
  'letta_voice_sleeptime_core', 'letta_builtin', 'letta_files_core', 'external_langchain', 'external_composio',
  'external_mcp',
] as const;
export const ToolType = z.enum(TOOL_TYPES);

export const Requirement = z.object({ name: z.string().min(1), version: z.string().nullish() });

export const Tool = z.object({
  id: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  tool_type: ToolType,
  source_type: z.string().nullable(),
  source_code: z.string().nullable(),
  json_schema: z.record(z.string(), z.unknown()).nullable(),
  args_json_schema: z.record(z.string(), z.unknown()).nullable(),
  tags: z.array(z.string()),
  return_char_limit: z.number().int(),
  pip_requirements: z.array(Requirement).nullable(),
  npm_requirements: z.array(Requirement).nullable(),
  default_requires_approval: z.boolean().nullable(),
  enable_parallel_execution: z.boolean().nullable(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
  metadata_: z.record(z.string(), z.unknown()),
  project_id: z.string().nullable(),
});
export type Tool = z.infer<typeof Tool>;
