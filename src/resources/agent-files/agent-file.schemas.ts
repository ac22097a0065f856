// Wire shapes of Letta's multi-entity agent file (.af) and of the export/import requests.
// Import is lenient (files come from many Letta versions): known fields are checked, unknown ones are kept.
import { z } from 'zod';
import { ToolRuleSchema } from '../../db/tool-rules.schemas.js';
import { queryBool, queryInt, queryString } from '../../http/query.js';

const json = z.record(z.string(), z.unknown());
const loose = <T extends z.ZodRawShape>(shape: T) => z.object(shape).catchall(z.unknown());

export const FileBlock = loose({
  id: z.string(),
  label: z.string().min(1),
  value: z.string().nullish(),
  limit: z.number().int().nullish(),
  description: z.string().nullish(),
  metadata: json.nullish(),
  read_only: z.boolean().nullish(),
  hidden: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
});
export type FileBlock = z.infer<typeof FileBlock>;

export const FileTool = loose({
  id: z.string(),
  name: z.string().min(1),
  tool_type: z.string().nullish(),
  description: z.string().nullish(),
  source_type: z.string().nullish(),
  source_code: z.string().nullish(),
  json_schema: json.nullish(),
  args_json_schema: json.nullish(),
  tags: z.array(z.string()).nullish(),
  return_char_limit: z.number().int().nullish(),
  metadata_: json.nullish(),
});
export type FileTool = z.infer<typeof FileTool>;

export const FileMessage = loose({
  id: z.string(),
  role: z.string().min(1),
  content: z.union([z.string(), z.array(json)]).nullish(),
  tool_calls: z.array(json).nullish(),
  tool_returns: z.array(json).nullish(),
  created_at: z.string().nullish(),
});
export type FileMessage = z.infer<typeof FileMessage>;

export const FileAgent = loose({
  id: z.string(),
  name: z.string().nullish(),
  agent_type: z.string().nullish(),
  system: z.string().nullish(),
  llm_config: json.nullish(),
  embedding_config: json.nullish(),
  tool_ids: z.array(z.string()).nullish(),
  block_ids: z.array(z.string()).nullish(),
  tool_rules: z.array(ToolRuleSchema).nullish(),
  tags: z.array(z.string()).nullish(),
  in_context_message_ids: z.array(z.string()).nullish(),
  messages: z.array(FileMessage).nullish(),
  tool_exec_environment_variables: z.record(z.string(), z.string().nullable()).nullish(),
  secrets: z.record(z.string(), z.string().nullable()).nullish(),
});
export type FileAgent = z.infer<typeof FileAgent>;

export const FileMcpServer = loose({
  id: z.string(),
  server_name: z.string().min(1),
  server_type: z.string(),
  server_url: z.string().nullish(),
  stdio_config: json.nullish(),
});
export type FileMcpServer = z.infer<typeof FileMcpServer>;

const FileGroup = loose({ id: z.string(), agent_ids: z.array(z.string()).nullish() });

export const AgentFile = z.object({
  agents: z.array(FileAgent),
  groups: z.array(FileGroup).nullish(),
  blocks: z.array(FileBlock).nullish(),
  files: z.array(json).nullish(),
  sources: z.array(json).nullish(),
  tools: z.array(FileTool).nullish(),
  mcp_servers: z.array(FileMcpServer).nullish(),
  skills: z.array(json).nullish(),
  metadata: json.nullish(),
  created_at: z.string().nullish(),
});
export type AgentFile = z.infer<typeof AgentFile>;

export const ExportQuery = z.object({
  max_steps: queryInt(0, 1_000_000),
  use_legacy_format: queryBool(),
  conversation_id: queryString(),
  scrub_messages: queryBool(),
  include_secrets: queryBool(),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

export const ExportBody = z
  .object({
    skills: z.array(json).nullish(),
    conversation_id: z.string().nullish(),
    scrub_messages: z.boolean().nullish(),
    include_secrets: z.boolean().nullish(),
  })
  .nullish();

export type ExportOptions = {
  conversationId?: string | null;
  scrubMessages?: boolean;
  includeSecrets?: boolean;
  skills?: Record<string, unknown>[];
};

export type ImportOptions = {
  name?: string;
  model?: string;
  embedding?: string;
  overrideExistingTools: boolean;
  stripMessages: boolean;
  appendCopySuffix: boolean;
  secrets?: Record<string, string>;
  projectId?: string;
};

export const ImportResponse = z.object({
  agent_ids: z.array(z.string()),
  /** Mnemo: what the import did not do as asked (e.g. a stdio MCP server imported disabled). Absent when empty. */
  notes: z.array(z.string()).optional(),
});
