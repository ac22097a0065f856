// What a `conversation_id` in a URL names: one conversation, or the agent's own thread (its "default
// conversation"), written `default` with the agent id beside it (body or query) or as the bare agent id.
import { z } from 'zod';
import { BadRequestError } from '../../errors.js';
import { idParam } from '../../ids.js';

/** Route parameter accepting `conv-<uuid4>`, `default` or an agent id (Letta's ConversationIdOrDefault). */
export const ConversationRef = z.union([idParam('conv'), z.literal('default'), idParam('agent')], {
  message: "must be 'conv-<uuid4>', 'default' or an agent id",
});

/** The agent whose own thread `ref` names, or null when `ref` is a conversation id. */
export function agentThreadOf(ref: string, agentId?: string | null): string | null {
  if (ref.startsWith('agent-')) return ref;
  if (ref !== 'default') return null;
  if (!agentId) throw new BadRequestError("agent_id is required with conversation_id 'default'");
  return agentId;
}
