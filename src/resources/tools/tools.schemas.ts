// Tool wire shapes: the Tool object, create/update/list/run requests and ToolExecutionResult.
import { z } from 'zod';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';
import { idParam } from '../../ids.js';

export const TOOL_TYPES = [
  'custom',
  'letta_core',
  'letta_memory_core',
  'letta_multi_agent_core',
  'letta_sleeptime_core',
  'letta_voice_sleeptime_core',
  'letta_builtin',
  'letta_files_core',
  'external_langchain',
  'external_composio',
  'external_mcp',
] as const;
const ToolType = z.enum(TOOL_TYPES);

const Requirement = z.object({ name: z.string().min(1), version: z.string().nullish() });

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

// ---- request shapes -------------------------------------------------------------------------------------------

const JsonObject = z.record(z.string(), z.unknown());
const RETURN_CHAR_LIMIT_MAX = 1_000_000;
const ReturnCharLimit = z.number().int().min(1).max(RETURN_CHAR_LIMIT_MAX);
const SourceType = z.enum(['python', 'javascript', 'typescript', 'json']);

/** Body of POST/PUT /v1/tools/: there is no `name`; it comes from json_schema or the source. */
export const CreateTool = z.object({
  source_code: z.string().min(1, 'source_code must not be empty'),
  source_type: SourceType.nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  json_schema: JsonObject.nullish(),
  args_json_schema: JsonObject.nullish(),
  return_char_limit: ReturnCharLimit.nullish(),
  pip_requirements: z.array(Requirement).nullish(),
  npm_requirements: z.array(Requirement).nullish(),
  default_requires_approval: z.boolean().nullish(),
  enable_parallel_execution: z.boolean().nullish(),
});
export type CreateTool = z.infer<typeof CreateTool>;

export const UpdateTool = CreateTool.partial().extend({
  source_code: z.string().min(1).nullish(),
  metadata_: JsonObject.nullish(),
});
export type UpdateTool = z.infer<typeof UpdateTool>;

export const ListToolsQuery = z.object({
  ...pageQuery(),
  name: queryString(),
  names: queryArray({ commaSeparated: true }),
  tool_ids: queryArray({ commaSeparated: true }),
  search: queryString(),
  tool_types: queryArray({ commaSeparated: true }),
  exclude_tool_types: queryArray({ commaSeparated: true }),
  return_only_letta_tools: queryBool(),
});
export type ListToolsQuery = z.infer<typeof ListToolsQuery>;

export const AgentToolsQuery = z.object(pageQuery());
export type AgentToolsQuery = z.infer<typeof AgentToolsQuery>;

export const ToolIdParams = z.object({ tool_id: idParam('tool') });
export const AgentToolNameParams = z.object({ agent_id: idParam('agent'), tool_name: z.string().min(1) });

export const RunToolBody = z.object({ args: JsonObject.nullish() });
export type RunToolBody = z.infer<typeof RunToolBody>;

export const RunToolFromSource = z.object({
  source_code: z.string().min(1, 'source_code must not be empty'),
  source_type: SourceType.nullish(),
  args: JsonObject.nullish(),
  env_vars: z.record(z.string(), z.string()).nullish(),
  name: z.string().nullish(),
  json_schema: JsonObject.nullish(),
  args_json_schema: JsonObject.nullish(),
  pip_requirements: z.array(Requirement).nullish(),
  npm_requirements: z.array(Requirement).nullish(),
});
export type RunToolFromSource = z.infer<typeof RunToolFromSource>;

/** The SDK sends `body_requires_approval` in the body; older clients send `requires_approval` or a query. */
export const ApprovalBody = z.object({ requires_approval: z.boolean().nullish(), body_requires_approval: z.boolean().nullish() }).nullish();
export const ApprovalQuery = z.object({ requires_approval: queryBool() });

export const ToolExecutionResult = z.object({
  status: z.enum(['success', 'error']),
  func_return: z.unknown().optional(),
  agent_state: z.null().optional(),
  stdout: z.array(z.string()).nullable().optional(),
  stderr: z.array(z.string()).nullable().optional(),
  sandbox_config_fingerprint: z.string().nullable().optional(),
});
export type ToolExecutionResult = z.infer<typeof ToolExecutionResult>;
