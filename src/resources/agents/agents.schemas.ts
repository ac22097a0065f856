import { z } from 'zod';
import { AgentType } from '../../agent/types.js';
import { ToolRuleSchema } from '../../db/tool-rules.schemas.js';
import { idParam } from '../../ids.js';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';
import { Block, CreateBlock } from '../blocks/blocks.schemas.js';
import { Tool } from '../tools/tools.schemas.js';
import { EmbeddingConfig as BaseEmbeddingConfig, LlmConfig as BaseLlmConfig } from '../../llm/model.schemas.js';

const json = z.record(z.string(), z.unknown());

/** The wire shapes live with the LLM layer; agents accept extra provider-specific keys and keep them. */
export const LlmConfig = BaseLlmConfig.catchall(z.unknown());
export type LlmConfig = z.infer<typeof LlmConfig>;

export const EmbeddingConfig = BaseEmbeddingConfig.extend({
  embedding_dim: z.number().int().min(1).max(4096, 'embedding_dim must be at most 4096'),
}).catchall(z.unknown());
export type EmbeddingConfig = z.infer<typeof EmbeddingConfig>;

const AgentSecret = z.object({
  id: z.string().nullish(),
  agent_id: z.string(),
  key: z.string(),
  value: z.string(),
  description: z.string().nullish(),
});

export const AgentState = z.object({
  id: z.string(),
  name: z.string(),
  agent_type: AgentType,
  system: z.string(),
  description: z.string().nullable(),
  metadata: json.nullable(),
  model: z.string().nullable(),
  embedding: z.string().nullable(),
  llm_config: LlmConfig,
  embedding_config: EmbeddingConfig.nullable(),
  model_settings: json.nullable(),
  compaction_settings: json.nullable(),
  response_format: json.nullable(),
  memory: z.object({
    blocks: z.array(Block),
    file_blocks: z.array(z.unknown()),
    agent_type: z.string().nullable(),
    prompt_template: z.string(),
  }),
  blocks: z.array(Block),
  tools: z.array(Tool),
  sources: z.array(z.unknown()),
  tags: z.array(z.string()),
  tool_rules: z.array(ToolRuleSchema).nullable(),
  message_ids: z.array(z.string()).nullable(),
  identities: z.array(z.unknown()),
  identity_ids: z.array(z.string()),
  secrets: z.array(AgentSecret),
  tool_exec_environment_variables: z.array(AgentSecret),
  project_id: z.string().nullable(),
  template_id: z.string().nullable(),
  base_template_id: z.string().nullable(),
  deployment_id: z.string().nullable(),
  entity_id: z.string().nullable(),
  message_buffer_autoclear: z.boolean(),
  enable_sleeptime: z.boolean().nullable(),
  multi_agent_group: z.unknown().nullable(),
  managed_group: z.unknown().nullable(),
  pending_approval: z.unknown().nullable(),
  last_run_completion: z.string().nullable(),
  last_run_duration_ms: z.number().nullable(),
  last_stop_reason: z.string().nullable(),
  timezone: z.string().nullable(),
  max_files_open: z.number().int().nullable(),
  per_file_view_window_char_limit: z.number().int().nullable(),
  hidden: z.boolean().nullable(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
export type AgentState = z.infer<typeof AgentState>;

/** Letta: Unicode letters/digits/underscore, space, apostrophe, hyphen. */
const agentName = z
  .string()
  .min(1, 'name must not be empty')
  .max(300)
  .regex(/^[\p{L}\p{N}_ '-]+$/u, "name may contain only letters, digits, spaces, '_', '-' and apostrophes");

const secretsMap = z.record(z.string(), z.string());
const timezone = z.string().refine((tz) => isTimezone(tz), { message: 'must be an IANA timezone such as Europe/Paris' });

const sharedFields = {
  system: z.string().nullish(),
  description: z.string().nullish(),
  metadata: json.nullish(),
  tags: z.array(z.string()).nullish(),
  model: z.string().nullish(),
  embedding: z.string().nullish(),
  llm_config: LlmConfig.nullish(),
  embedding_config: EmbeddingConfig.nullish(),
  model_settings: json.nullish(),
  compaction_settings: json.nullish(),
  context_window_limit: z.number().int().min(1).nullish(),
  response_format: json.nullish(),
  tool_ids: z.array(idParam('tool')).nullish(),
  block_ids: z.array(idParam('block')).nullish(),
  tool_rules: z.array(ToolRuleSchema).nullish(),
  secrets: secretsMap.nullish(),
  tool_exec_environment_variables: secretsMap.nullish(),
  message_buffer_autoclear: z.boolean().nullish(),
  enable_sleeptime: z.boolean().nullish(),
  timezone: timezone.nullish(),
  max_files_open: z.number().int().nullish(),
  per_file_view_window_char_limit: z.number().int().nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning: z.boolean().nullish(),
  hidden: z.boolean().nullish(),
  project_id: z.string().nullish(),
  template_id: z.string().nullish(),
  base_template_id: z.string().nullish(),
  identity_ids: z.array(idParam('identity')).nullish(),
};

const MessageCreateLite = z.object({
  role: z.enum(['user', 'system', 'assistant']),
  content: z.union([z.string(), z.array(json)]),
  name: z.string().nullish(),
  otid: z.string().nullish(),
  sender_id: z.string().nullish(),
});

export const CreateAgent = z.object({
  name: agentName.nullish(),
  agent_type: AgentType.nullish(),
  memory_blocks: z.array(CreateBlock).nullish(),
  tools: z.array(z.string()).nullish(),
  include_base_tools: z.boolean().nullish(),
  include_multi_agent_tools: z.boolean().nullish(),
  include_base_tool_rules: z.boolean().nullish(),
  initial_message_sequence: z.array(MessageCreateLite).nullish(),
  ...sharedFields,
});
export type CreateAgent = z.infer<typeof CreateAgent>;

export const UpdateAgent = z.object({
  name: agentName.nullish(),
  message_ids: z.array(idParam('message')).nullish(),
  last_run_completion: z.string().nullish(),
  last_run_duration_ms: z.number().nullish(),
  last_stop_reason: z.string().nullish(),
  ...sharedFields,
});
export type UpdateAgent = z.infer<typeof UpdateAgent>;

export const AgentIdParams = z.object({ agent_id: idParam('agent') });

export const RetrieveAgentQuery = z.object({
  include: queryArray(),
  include_relationships: queryArray(),
});

export const ListAgentsQueryBase = z.object({
  ...pageQuery(),
  include: queryArray(),
  include_relationships: queryArray(),
});

export const ListAgentsQuery = ListAgentsQueryBase.extend({
  name: queryString(),
  tags: queryArray(),
  match_all_tags: queryBool(),
  query_text: queryString(),
  project_id: queryString(),
  template_id: queryString(),
  base_template_id: queryString(),
  identity_id: queryString(),
  identifier_keys: queryArray(),
  ascending: queryBool(),
  sort_by: queryString(),
  last_stop_reason: queryString(),
});
export type ListAgentsQuery = z.infer<typeof ListAgentsQuery>;

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
