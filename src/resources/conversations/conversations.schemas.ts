// Wire shapes of conversations: independent threads of one agent sharing its memory (letta-api.md §2.13, App. A).
import { z } from 'zod';
import { pageQuery, queryBool, queryString } from '../../http/query.js';
import { idParam } from '../../ids.js';
import { ListMessagesQuery } from '../messages/messages.schemas.js';
import { ConversationRef } from './conversation-ref.js';

const json = z.record(z.string(), z.unknown());

export const Conversation = z.object({
  id: z.string(),
  agent_id: z.string(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  archived: z.boolean(),
  archived_at: z.string().nullable(),
  hidden: z.boolean(),
  in_context_message_ids: z.array(z.string()),
  last_message_at: z.string().nullable(),
  model: z.string().nullable(),
  model_settings: json.nullable(),
  context_window_limit: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

/** The union of the SDK's and Letta OSS's create fields; `isolated_block_labels` is accepted and ignored. */
export const CreateConversation = z
  .looseObject({
    summary: z.string().nullish(),
    description: z.string().nullish(),
    hidden: z.boolean().nullish(),
    model: z.string().nullish(),
    model_settings: json.nullish(),
    context_window_limit: z.number().int().min(1).nullish(),
    isolated_block_labels: z.array(z.string()).nullish(),
  })
  .nullish();
export type CreateConversation = z.infer<typeof CreateConversation>;

export const UpdateConversation = z
  .looseObject({
    summary: z.string().max(10_000).nullish(),
    description: z.string().max(10_000).nullish(),
    archived: z.boolean().nullish(),
    hidden: z.boolean().nullish(),
    model: z.string().nullish(),
    model_settings: json.nullish(),
    context_window_limit: z.number().int().min(1).nullish(),
    agent_id: z.string().nullish(),
  })
  .nullish();
export type UpdateConversation = z.infer<typeof UpdateConversation>;

export const AgentIdQuery = z.object({ agent_id: idParam('agent') });
export const OptionalAgentIdQuery = z.object({ agent_id: idParam('agent').optional() });

export const ConversationIdParams = z.object({ conversation_id: idParam('conv') });

/** Routes on one thread take `default` (the agent's own thread, with `agent_id`) or an agent id as well. */
export const ConversationRefParams = z.object({ conversation_id: ConversationRef });

export const ConversationMessagesQuery = ListMessagesQuery.extend({ agent_id: z.string().optional() });
export type ConversationMessagesQuery = z.infer<typeof ConversationMessagesQuery>;

export const ListConversationsQuery = z.object({
  ...pageQuery(),
  agent_id: queryString(),
  summary_search: queryString(),
  archived: queryBool(),
  /** `last_run_completion` is read as `last_message_at` (a turn's end is its last stored message). */
  order_by: z.enum(['created_at', 'last_message_at', 'last_run_completion']).optional(),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ForkQuery = z.object({
  agent_id: queryString(),
  hidden: queryBool(),
  message_id: queryString(),
});

export const RecompileQuery = z.object({ dry_run: queryBool(), agent_id: queryString() });

/** `agent_id` names the agent with conversation `default` (compact and recompile take it in the body, as Letta does). */
export const CompactBody = z.looseObject({ agent_id: z.string().nullish(), compaction_settings: json.nullish() }).nullish();
