// Wire shapes of the messages API: LettaRequest, LettaResponse, list queries.
import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';

const ContentPart = z.looseObject({ type: z.string() });
export const MessageCreate = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'system', 'assistant']),
  content: z.union([z.string(), z.array(ContentPart)]),
  name: z.string().nullish(),
  otid: z.string().nullish(),
  sender_id: z.string().nullish(),
  batch_item_id: z.string().nullish(),
  group_id: z.string().nullish(),
});
/** Approval / tool-return items are accepted on the wire; their handling belongs to the approval flow. */
const OtherInput = z.looseObject({ type: z.enum(['approval', 'tool_return']) });
/** Letta reads an item without `type` that carries `approve` as the legacy single approval. */
const LegacyApproval = z.looseObject({ type: z.undefined().optional(), approve: z.boolean() });
const InputItem = z.union([MessageCreate, OtherInput, LegacyApproval]);

export const LettaRequest = z
  .object({
    messages: z.array(InputItem).nullish(),
    input: z.union([z.string(), z.array(ContentPart)]).nullish(),
    max_steps: z.number().int().min(1).max(1000).default(50),
    include_return_message_types: z.array(z.string()).nullish(),
    use_assistant_message: z.boolean().default(true),
    assistant_message_tool_name: z.string().default('send_message'),
    assistant_message_tool_kwarg: z.string().default('message'),
    enable_thinking: z.string().nullish(),
    client_tools: z.array(z.looseObject({ name: z.string() })).nullish(),
    client_skills: z.array(z.unknown()).nullish(),
    override_model: z.string().nullish(),
    override_system: z.string().nullish(),
    system: z.string().nullish(),
    include_compaction_messages: z.boolean().default(false),
    return_logprobs: z.boolean().default(false),
    top_logprobs: z.number().int().nullish(),
    return_token_ids: z.boolean().default(false),
    streaming: z.boolean().default(false),
    stream_tokens: z.boolean().default(false),
    include_pings: z.boolean().default(true),
    background: z.boolean().default(false),
    callback_url: z.string().nullish(),
  })
  .superRefine((b, ctx) => {
    const hasMessages = b.messages != null;
    const hasInput = b.input != null;
    if (hasMessages === hasInput) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'Exactly one of messages or input must be given' });
    if (hasMessages && b.messages!.length === 0) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'messages must not be empty' });
    if (!b.streaming && (b.stream_tokens || b.background || b.include_pings === false)) {
      ctx.addIssue({ code: 'custom', path: ['streaming'], message: 'Streaming options set without streaming enabled: set streaming to true to use stream_tokens, background or include_pings' });
    }
  });
export type LettaRequest = z.infer<typeof LettaRequest>;

export const LettaMessageWire = z.looseObject({ id: z.string(), message_type: z.string() });
export const LettaResponse = z.object({
  messages: z.array(LettaMessageWire),
  stop_reason: z.object({ message_type: z.literal('stop_reason'), stop_reason: z.string() }),
  usage: z.looseObject({ message_type: z.literal('usage_statistics') }),
  logprobs: z.unknown().nullable(),
  turns: z.unknown().nullable(),
});

export const AgentIdParams = z.object({ agent_id: idParam('agent') });
export const MessageIdParams = z.object({ message_id: idParam('message') });

export const ListMessagesQuery = z.object({
  ...pageQuery(1000),
  group_id: queryString(),
  conversation_id: queryString(),
  use_assistant_message: queryBool(),
  assistant_message_tool_name: queryString(),
  assistant_message_tool_kwarg: queryString(),
  include_err: queryBool(),
  include_return_message_types: queryArray({ commaSeparated: true }),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

export const ResetMessagesBody = z.object({ add_default_initial_messages: z.boolean().default(false) }).nullish();
export const RecompileQuery = z.object({ dry_run: queryBool(), update_timestamp: queryBool() });

export const ListAllMessagesQuery = z.object({
  ...pageQuery(1000),
  agent_id: queryString(),
  run_id: queryString(),
  role: queryString(),
});
