// Which thread a send, cancel or resume goes to: an agent's own, one conversation, or `default`/an agent id given
// where a conversation id is accepted (the agent's own thread).
import type { Actor } from '../actor.js';
import type { Db } from '../db/client.js';
import { notFound } from '../errors.js';
import { agentThreadOf } from '../resources/conversations/conversation-ref.js';
import { findConversation } from '../resources/conversations/conversations.repo.js';
import type { Thread } from './turn-start.js';

/** `{ agentId }` for an agent route; `{ conversationId, agentId? }` for a conversation route (agent id from body or query). */
export type ThreadRef = { agentId?: string | null; conversationId?: string };

export async function resolveThread(db: Db, actor: Actor, ref: ThreadRef): Promise<Thread> {
  const agentId = ref.conversationId === undefined ? ref.agentId : agentThreadOf(ref.conversationId, ref.agentId);
  if (agentId) return { agentId, conversationId: null };
  const id = ref.conversationId ?? '';
  const conv = await findConversation(db, actor.orgId, id);
  if (!conv) throw notFound('Conversation', id);
  return { agentId: conv.agentId, conversationId: conv.id, model: conv.model, contextWindowLimit: conv.contextWindowLimit };
}
