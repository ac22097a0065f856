import type { Conversation } from './conversations.schemas.js';
import type { ConversationRow, AgentRow } from '../../db/rows.js';

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

/**
 * The agent's own thread seen as a conversation (`default`): its window is the agent's, and its model and context
 * window are the agent's (a PATCH of them changes the agent).
 */
export function toDefaultConversation(a: AgentRow, own?: { summary: string | null; description: string | null }): Conversation {
  const llm = a.llmConfig;
  return {
    id: 'default',
    agent_id: a.id,
    summary: own?.summary ?? null,
    description: own?.description ?? null,
    archived: false,
    archived_at: null,
    hidden: false,
    in_context_message_ids: a.messageIds,
    last_message_at: iso(a.lastRunCompletion),
    model: typeof llm.handle === 'string' ? llm.handle : null,
    model_settings: a.modelSettings ?? null,
    context_window_limit: typeof llm.context_window === 'number' ? llm.context_window : null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
    created_by_id: null,
    last_updated_by_id: null,
  };
}
