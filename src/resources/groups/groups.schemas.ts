// Wire shapes of multi-agent groups; manager_config is discriminated by manager_type.
import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryBool, queryString } from '../../http/query.js';

const MANAGER_TYPES = ['round_robin', 'supervisor', 'dynamic', 'sleeptime', 'voice_sleeptime', 'swarm'] as const;
const ManagerType = z.enum(MANAGER_TYPES);

const agentId = idParam('agent');
const turns = z.number().int().min(1).max(100);

export const ManagerConfig = z.discriminatedUnion('manager_type', [
  z.object({ manager_type: z.literal('round_robin'), max_turns: turns.nullish() }),
  z.object({ manager_type: z.literal('supervisor'), manager_agent_id: agentId }),
  z.object({
    manager_type: z.literal('dynamic'),
    manager_agent_id: agentId,
    termination_token: z.string().min(1).nullish(),
    max_turns: turns.nullish(),
  }),
  z.object({
    manager_type: z.literal('sleeptime'),
    manager_agent_id: agentId,
    sleeptime_agent_frequency: z.number().int().min(1).nullish(),
  }),
  z.object({
    manager_type: z.literal('voice_sleeptime'),
    manager_agent_id: agentId,
    max_message_buffer_length: z.number().int().min(1).nullish(),
    min_message_buffer_length: z.number().int().min(1).nullish(),
  }),
]);
export type ManagerConfig = z.infer<typeof ManagerConfig>;

/** Updates name the type and only the fields that change. */
export const ManagerConfigUpdate = z.discriminatedUnion('manager_type', [
  z.object({ manager_type: z.literal('round_robin'), max_turns: turns.nullish() }),
  z.object({ manager_type: z.literal('supervisor'), manager_agent_id: agentId.nullish() }),
  z.object({
    manager_type: z.literal('dynamic'),
    manager_agent_id: agentId.nullish(),
    termination_token: z.string().min(1).nullish(),
    max_turns: turns.nullish(),
  }),
  z.object({
    manager_type: z.literal('sleeptime'),
    manager_agent_id: agentId.nullish(),
    sleeptime_agent_frequency: z.number().int().min(1).nullish(),
  }),
  z.object({
    manager_type: z.literal('voice_sleeptime'),
    manager_agent_id: agentId.nullish(),
    max_message_buffer_length: z.number().int().min(1).nullish(),
    min_message_buffer_length: z.number().int().min(1).nullish(),
  }),
]);
export type ManagerConfigUpdate = z.infer<typeof ManagerConfigUpdate>;

export const Group = z.object({
  id: z.string(),
  manager_type: ManagerType,
  agent_ids: z.array(z.string()),
  description: z.string(),
  project_id: z.string().nullable(),
  template_id: z.string().nullable(),
  base_template_id: z.string().nullable(),
  deployment_id: z.string().nullable(),
  shared_block_ids: z.array(z.string()),
  manager_agent_id: z.string().nullable(),
  termination_token: z.string().nullable(),
  max_turns: z.number().int().nullable(),
  sleeptime_agent_frequency: z.number().int().nullable(),
  turns_counter: z.number().int().nullable(),
  last_processed_message_id: z.string().nullable(),
  max_message_buffer_length: z.number().int().nullable(),
  min_message_buffer_length: z.number().int().nullable(),
  hidden: z.boolean().nullable(),
});
export type Group = z.infer<typeof Group>;

export const CreateGroup = z.object({
  agent_ids: z.array(agentId),
  description: z.string().default(''),
  manager_config: ManagerConfig.default({ manager_type: 'round_robin' }),
  project_id: z.string().nullish(),
  shared_block_ids: z.array(idParam('block')).nullish(),
  hidden: z.boolean().nullish(),
});
export type CreateGroup = z.infer<typeof CreateGroup>;

export const UpdateGroup = z.object({
  agent_ids: z.array(agentId).nullish(),
  description: z.string().nullish(),
  manager_config: ManagerConfigUpdate.nullish(),
  project_id: z.string().nullish(),
  shared_block_ids: z.array(idParam('block')).nullish(),
});
export type UpdateGroup = z.infer<typeof UpdateGroup>;

export const GroupIdParams = z.object({ group_id: idParam('group') });
export const GroupBlockParams = z.object({ group_id: idParam('group'), block_id: idParam('block') });

export const ListGroupsQuery = z.object({
  ...pageQuery(),
  manager_type: z.preprocess((v) => (v === '' ? undefined : v), ManagerType.optional()),
  project_id: queryString(),
  show_hidden_groups: queryBool(),
});
export type ListGroupsQuery = z.infer<typeof ListGroupsQuery>;

/** The subset of LettaRequest a group message accepts. */
export const GroupMessageRequest = z
  .object({
    messages: z
      .array(
        z
          .object({
            role: z.enum(['user', 'system', 'assistant']).default('user'),
            content: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]),
            name: z.string().nullish(),
            otid: z.string().nullish(),
            sender_id: z.string().nullish(),
          })
          .passthrough(),
      )
      .min(1, 'messages must not be empty'),
    max_steps: z.number().int().min(1).max(100).nullish(),
  })
  .passthrough();
export type GroupMessageRequest = z.infer<typeof GroupMessageRequest>;

/** POST /v1/groups/{id}/messages/async: a group message plus the URL told when the background run ends. */
export const GroupAsyncRequest = GroupMessageRequest.extend({ callback_url: z.string().url().nullish() });
export type GroupAsyncRequest = z.infer<typeof GroupAsyncRequest>;

export const ListGroupMessagesQuery = z.object({
  ...pageQuery(),
  use_assistant_message: queryBool(),
  assistant_message_tool_name: queryString(),
  assistant_message_tool_kwarg: queryString(),
});
export type ListGroupMessagesQuery = z.infer<typeof ListGroupMessagesQuery>;
