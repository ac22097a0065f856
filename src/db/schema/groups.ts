import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';
import { blocks } from './blocks.js';

export const groups = pgTable(
  'groups',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    managerType: text('manager_type').notNull(),
    description: text('description'),
    managerAgentId: text('manager_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    terminationToken: text('termination_token'),
    maxTurns: integer('max_turns'),
    sleeptimeAgentFrequency: integer('sleeptime_agent_frequency'),
    turnsCounter: integer('turns_counter').notNull().default(0),
    lastProcessedMessageId: text('last_processed_message_id'),
    maxMessageBufferLength: integer('max_message_buffer_length'),
    minMessageBufferLength: integer('min_message_buffer_length'),
    hidden: boolean('hidden'),
    projectId: text('project_id'),
    extras: jsonb('extras').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps(),
  },
  (t) => [index('groups_org_created_idx').on(t.organizationId, t.createdAt, t.id), index('groups_manager_idx').on(t.managerAgentId)],
);

export const groupAgents = pgTable(
  'group_agents',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.agentId] }), index('group_agents_agent_idx').on(t.agentId)],
);

export const groupBlocks = pgTable(
  'group_blocks',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    blockId: text('block_id')
      .notNull()
      .references(() => blocks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.blockId] }), index('group_blocks_block_idx').on(t.blockId)],
);
