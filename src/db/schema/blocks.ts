import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';

export const blocks = pgTable(
  'blocks',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    label: text('label').notNull(),
    value: text('value').notNull(),
    limit: integer('char_limit').notNull().default(100000),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    readOnly: boolean('read_only').notNull().default(false),
    hidden: boolean('hidden'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    isTemplate: boolean('is_template').notNull().default(false),
    templateName: text('template_name'),
    preserveOnMigration: boolean('preserve_on_migration').notNull().default(false),
    projectId: text('project_id'),
    templateId: text('template_id'),
    baseTemplateId: text('base_template_id'),
    deploymentId: text('deployment_id'),
    entityId: text('entity_id'),
    /** Bumped on every write: compare-and-swap for concurrent edits. */
    version: integer('version').notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    index('blocks_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('blocks_org_label_idx').on(t.organizationId, t.label),
  ],
);

export const agentBlocks = pgTable(
  'agent_blocks',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    blockId: text('block_id')
      .notNull()
      .references(() => blocks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.blockId] }), index('agent_blocks_block_idx').on(t.blockId)],
);
