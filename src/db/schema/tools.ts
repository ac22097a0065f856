import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';

export const tools = pgTable(
  'tools',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description'),
    toolType: text('tool_type').notNull().default('custom'),
    sourceType: text('source_type'),
    sourceCode: text('source_code'),
    jsonSchema: jsonb('json_schema').$type<Record<string, unknown> | null>(),
    argsJsonSchema: jsonb('args_json_schema').$type<Record<string, unknown> | null>(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    returnCharLimit: integer('return_char_limit').notNull().default(50000),
    pipRequirements: jsonb('pip_requirements').$type<{ name: string; version?: string | null }[] | null>(),
    npmRequirements: jsonb('npm_requirements').$type<{ name: string; version?: string | null }[] | null>(),
    defaultRequiresApproval: boolean('default_requires_approval'),
    enableParallelExecution: boolean('enable_parallel_execution'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    projectId: text('project_id'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('tools_org_name_uq').on(t.organizationId, t.name),
    index('tools_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);

export const agentTools = pgTable(
  'agent_tools',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    toolId: text('tool_id')
      .notNull()
      .references(() => tools.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.toolId] }), index('agent_tools_tool_idx').on(t.toolId)],
);
