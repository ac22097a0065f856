// Wire shapes: the context window overview (GET /v1/agents/{id}/context) and the compaction endpoint
// (POST /v1/agents/{id}/summarize → CompactionResponse).
import { z } from 'zod';
import { CompactionSettingsBody } from '../../agent/compaction/compaction-settings.js';
import { idParam } from '../../ids.js';

export const AgentIdParams = z.object({ agent_id: idParam('agent') });
export const ContextQuery = z.object({ conversation_id: z.string().nullish() });

export const SummarizeBody = z.looseObject({ compaction_settings: CompactionSettingsBody.nullish() }).nullish();
export type SummarizeBody = z.infer<typeof SummarizeBody>;

export const CompactionResponse = z.object({
  summary: z.string(),
  num_messages_before: z.number().int(),
  num_messages_after: z.number().int(),
});

const text = z.string().nullable();
export const ContextWindowOverview = z.looseObject({
  context_window_size_max: z.number().int(),
  context_window_size_current: z.number().int(),
  num_messages: z.number().int(),
  num_archival_memory: z.number().int(),
  num_recall_memory: z.number().int(),
  num_tokens_external_memory_summary: z.number().int(),
  external_memory_summary: z.string(),
  num_tokens_system: z.number().int(),
  system_prompt: z.string(),
  num_tokens_core_memory: z.number().int(),
  core_memory: z.string(),
  num_tokens_memory_filesystem: z.number().int(),
  memory_filesystem: text,
  num_tokens_tool_usage_rules: z.number().int(),
  tool_usage_rules: text,
  num_tokens_directories: z.number().int(),
  directories: text,
  num_tokens_summary_memory: z.number().int(),
  summary_memory: text,
  num_tokens_functions_definitions: z.number().int(),
  functions_definitions: z.array(z.record(z.string(), z.unknown())).nullable(),
  num_tokens_messages: z.number().int(),
  messages: z.array(z.record(z.string(), z.unknown())),
});
export type ContextWindowOverview = z.infer<typeof ContextWindowOverview>;
