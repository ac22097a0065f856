import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';
import { blocks } from './blocks.js';

export const identities = pgTable(
  'identities',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    identifierKey: text('identifier_key').notNull(),
    name: text('name').notNull(),
    identityType: text('identity_type').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>[]>().notNull().default(sql`'[]'::jsonb`),
    projectId: text('project_id'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('identities_org_key_uq').on(t.organizationId, t.identifierKey, t.projectId),
    index('identities_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);

export const identityAgents = pgTable(
  'identity_agents',
  {
    identityId: text('identity_id')
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.agentId] }), index('identity_agents_agent_idx').on(t.agentId)],
);

export const identityBlocks = pgTable(
  'identity_blocks',
  {
    identityId: text('identity_id')
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    blockId: text('block_id')
      .notNull()
      .references(() => blocks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.blockId] }), index('identity_blocks_block_idx').on(t.blockId)],
);
