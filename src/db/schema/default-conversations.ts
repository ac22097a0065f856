// The title and description of an agent's default conversation (its own thread, which has no conversations row):
// set by PATCH /v1/conversations/default (Letta Code's /rename), absent until then.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { agents } from './agents.js';

export const defaultConversations = pgTable('default_conversations', {
  agentId: text('agent_id')
    .primaryKey()
    .references(() => agents.id, { onDelete: 'cascade' }),
  organizationId: orgId(),
  summary: text('summary'),
  description: text('description'),
  ...timestamps(),
});
