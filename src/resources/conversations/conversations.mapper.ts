import type { Conversation } from './conversations.schemas.js';
import type { ConversationRow } from '../../db/rows.js';


const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    agent_id: r.agentId,
    summary: r.summary,
    description: r.description,
    archived: r.archived,
    archived_at: iso(r.archivedAt),
    hidden: r.hidden,
    in_context_message_ids: r.messageIds,
    last_message_at: iso(r.lastMessageAt),
    model: r.model,
    model_settings: r.modelSettings ?? null,
    context_window_limit: r.contextWindowLimit,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    created_by_id: null,
    last_updated_by_id: null,
  };
}
