// The LettaRequest body as the streaming, async and stream routes accept it (unknown keys pass through so the
// SDK's newer fields never 422), and its normalisation into the loop's input messages.
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { InputMessage } from '../agent/loop/types.js';

const MessageCreate = z.looseObject({
  role: z.enum(['user', 'system', 'assistant']).optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  type: z.string().optional(),
  name: z.string().nullish(),
  otid: z.string().nullish(),
  sender_id: z.string().nullish(),
});

export const TurnRequestBody = z.looseObject({
  messages: z.array(MessageCreate).nullish(),
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

/** Exactly one of `messages` / `input`; approvals are the loop's business and are passed through untouched. */
export function normalizeInput(body: TurnRequestBody): InputMessage[] {
  const hasMessages = Array.isArray(body.messages);
  const hasInput = body.input !== undefined && body.input !== null;
  if (hasMessages === hasInput) throw new ValidationError('Exactly one of `messages` or `input` must be provided');
  if (hasInput) return [{ role: 'user', content: body.input as InputMessage['content'] }];
  const msgs = body.messages!;
  if (msgs.length === 0) throw new ValidationError('messages: must contain at least one message');
  return msgs.map((m) => {
    if (!m.role || m.content === undefined) return m as unknown as InputMessage;
    return { role: m.role, content: m.content as InputMessage['content'], name: m.name, otid: m.otid, sender_id: m.sender_id };
  });
}

/** What a run records of the request (Letta's request_config). */
export function requestConfigOf(body: TurnRequestBody): Record<string, unknown> {
  return {
    use_assistant_message: body.use_assistant_message ?? true,
    assistant_message_tool_name: body.assistant_message_tool_name ?? 'send_message',
    assistant_message_tool_kwarg: body.assistant_message_tool_kwarg ?? 'message',
    include_return_message_types: body.include_return_message_types ?? null,
  };
}
