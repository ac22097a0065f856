import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';

/** An independent thread of one agent: its own in-context window, the agent's shared memory. */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    summary: text('summary'),
    description: text('description'),
    messageIds: text('message_ids').array().notNull().default(sql`'{}'::text[]`),
    model: text('model'),
    modelSettings: jsonb('model_settings').$type<Record<string, unknown> | null>(),
    contextWindowLimit: integer('context_window_limit'),
    hidden: boolean('hidden').notNull().default(false),
    archived: boolean('archived').notNull().default(false),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    extras: jsonb('extras').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps(),
  },
  (t) => [
    index('conversations_agent_idx').on(t.agentId, t.createdAt),
    index('conversations_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);
