import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { LlmConfig } from '../../llm/model.schemas.js';
import type { ToolRule } from '../tool-rules.schemas.js';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    agentType: text('agent_type').notNull(),
    system: text('system').notNull(),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, unknown> | null>(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Letta's llm_config; agents keep provider-specific extra keys as given. */
    llmConfig: jsonb('llm_config').$type<LlmConfig & Record<string, unknown>>().notNull(),
    embeddingConfig: jsonb('embedding_config').$type<Record<string, unknown> | null>(),
    modelSettings: jsonb('model_settings').$type<Record<string, unknown> | null>(),
    compactionSettings: jsonb('compaction_settings').$type<Record<string, unknown> | null>(),
    responseFormat: jsonb('response_format').$type<Record<string, unknown> | null>(),
    toolRules: jsonb('tool_rules').$type<ToolRule[]>().notNull().default(sql`'[]'::jsonb`),
    /** Ordered in-context message ids; element 0 is the system message. */
    messageIds: text('message_ids').array().notNull().default(sql`'{}'::text[]`),
    /**
     * How many messages the agent has stored (recall memory), shown in the memory metadata. Every insert adds its rows
     * here in the same statement or transaction (the loop's statements in their update of this row, everything else
     * through insertMessages); deletes subtract through a statement trigger on `messages` (migration 0007).
     */
    messageCount: bigint('message_count', { mode: 'number' }).notNull().default(0),
    /** Agent secrets / tool_exec_environment_variables: [{key, value, description}]. */
    secrets: jsonb('secrets').$type<{ key: string; value: string; description?: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
    timezone: text('timezone').notNull().default('UTC'),
    messageBufferAutoclear: boolean('message_buffer_autoclear').notNull().default(false),
    enableSleeptime: boolean('enable_sleeptime'),
    hidden: boolean('hidden'),
    maxFilesOpen: integer('max_files_open'),
    perFileViewWindowCharLimit: integer('per_file_view_window_char_limit'),
    lastRunCompletion: timestamp('last_run_completion', { withTimezone: true }),
    lastRunDurationMs: bigint('last_run_duration_ms', { mode: 'number' }),
    lastStopReason: text('last_stop_reason'),
    lastMemoryEdit: timestamp('last_memory_edit', { withTimezone: true }),
    projectId: text('project_id'),
    templateId: text('template_id'),
    baseTemplateId: text('base_template_id'),
    deploymentId: text('deployment_id'),
    entityId: text('entity_id'),
    /** Room for fields we store but do not query (Letta's long tail). */
    extras: jsonb('extras').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps(),
  },
  (t) => [
    index('agents_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('agents_org_name_idx').on(t.organizationId, t.name),
    index('agents_tags_idx').using('gin', t.tags),
  ],
);
