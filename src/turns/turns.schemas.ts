// Wire shapes of sending: the JSON LettaRequest, the looser body of the stream/async routes (unknown keys pass
// through so the SDK's newer fields never 422), cancel / resume / run-stream bodies, and the input normalisation.
import { z } from 'zod';
import type { InputMessage } from '../agent/loop/types.js';
import { ValidationError } from '../errors.js';
import { idParam } from '../ids.js';

const ContentPart = z.looseObject({ type: z.string() });
const MessageCreate = z.looseObject({
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
    if (hasMessages === hasInput)
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'Exactly one of messages or input must be given' });
    if (hasMessages && b.messages!.length === 0)
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'messages must not be empty' });
    if (!b.streaming && (b.stream_tokens || b.background || b.include_pings === false)) {
      ctx.addIssue({
        code: 'custom',
        path: ['streaming'],
        message: 'Streaming options set without streaming enabled: set streaming to true to use stream_tokens, background or include_pings',
      });
    }
  });
export type LettaRequest = z.infer<typeof LettaRequest>;

const StreamMessageCreate = z.looseObject({
  role: z.enum(['user', 'system', 'assistant']).optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  type: z.string().optional(),
  name: z.string().nullish(),
  otid: z.string().nullish(),
  sender_id: z.string().nullish(),
});

export const TurnRequestBody = z.looseObject({
  messages: z.array(StreamMessageCreate).nullish(),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
  max_steps: z.number().int().min(1).optional(),
  include_return_message_types: z.array(z.string()).nullish(),
  use_assistant_message: z.boolean().optional(),
  assistant_message_tool_name: z.string().optional(),
  assistant_message_tool_kwarg: z.string().optional(),
  override_model: z.string().nullish(),
  override_system: z.string().nullish(),
  system: z.string().nullish(),
  include_compaction_messages: z.boolean().optional(),
  streaming: z.boolean().optional(),
  stream_tokens: z.boolean().optional(),
  include_pings: z.boolean().optional(),
  background: z.boolean().optional(),
  callback_url: z.string().url().nullish(),
});
export type TurnRequestBody = z.infer<typeof TurnRequestBody>;

/** LettaRequest (its `agent_id` names the agent with conversation `default`); conversations stream unless told otherwise. */
export const ConversationMessageBody = z.preprocess(
  (b) => (b && typeof b === 'object' && !Array.isArray(b) ? { streaming: true, ...b } : b),
  z.intersection(LettaRequest, z.object({ agent_id: z.string().nullish() })),
);
export type ConversationMessageBody = z.infer<typeof ConversationMessageBody>;

export const AgentParams = z.object({ agent_id: idParam('agent') });
export const RunParams = z.object({ run_id: idParam('run') });
export const CancelBody = z.looseObject({ run_ids: z.array(z.string()).nullish() }).nullish();

const replayFields = {
  starting_after: z.number().int().min(0).optional(),
  include_pings: z.boolean().optional(),
  poll_interval: z.number().positive().optional(),
};
/** POST /v1/runs/{id}/stream: replay a background run's chunks after `starting_after`, then follow it. */
export const RunStreamBody = z.looseObject({ ...replayFields, batch_size: z.number().int().min(1).max(1000).optional() }).nullish();
/** POST /v1/conversations/{id}/stream: which run to re-attach to (default: the thread's latest background run). */
export const ResumeStreamBody = z
  .looseObject({
    ...replayFields,
    agent_id: z.string().nullish(),
    run_id: z.string().nullish(),
    otid: z.string().nullish(),
    batch_size: z.number().int().min(1).optional(),
  })
  .nullish();
export type ReplayBody = { starting_after?: number; include_pings?: boolean; poll_interval?: number; batch_size?: number };

/** The request fields that carry the input: a LettaRequest or a stream/async body. */
type InputFields = { messages?: readonly Record<string, unknown>[] | null; input?: unknown };

/** Exactly one of `messages` / `input`; approvals are the loop's business and are passed through untouched. */
export function normalizeInput(body: InputFields): InputMessage[] {
  const hasMessages = Array.isArray(body.messages);
  const hasInput = body.input !== undefined && body.input !== null;
  if (hasMessages === hasInput) throw new ValidationError('Exactly one of `messages` or `input` must be provided');
  if (hasInput) return [{ role: 'user', content: body.input as InputMessage['content'] }];
  const msgs = body.messages ?? [];
  if (msgs.length === 0) throw new ValidationError('messages: must contain at least one message');
  return msgs.map((m) => m as InputMessage);
}

/** What a run records of the request (Letta's request_config). */
export function requestConfigOf(body: TurnRequestBody | LettaRequest): Record<string, unknown> {
  return {
    use_assistant_message: body.use_assistant_message ?? true,
    assistant_message_tool_name: body.assistant_message_tool_name ?? 'send_message',
    assistant_message_tool_kwarg: body.assistant_message_tool_kwarg ?? 'message',
    include_return_message_types: body.include_return_message_types ?? null,
  };
}
