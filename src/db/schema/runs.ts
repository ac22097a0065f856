import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { agents } from './agents.js';

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    /** No foreign key to organizations: the row's agent already belongs to one, and a key check per insert
     * would share-lock the one organization row from every concurrent turn (migration 0005). */
    organizationId: orgId(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id'),
    /** Arrival order: turns of one agent are processed in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    status: text('status').notNull().default('created'),
    stopReason: text('stop_reason'),
    background: boolean('background').notNull().default(false),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    requestConfig: jsonb('request_config').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    callbackUrl: text('callback_url'),
    callbackSentAt: timestamp('callback_sent_at', { withTimezone: true }),
    callbackStatusCode: integer('callback_status_code'),
    callbackError: text('callback_error'),
    ttftNs: bigint('ttft_ns', { mode: 'number' }),
    totalDurationNs: bigint('total_duration_ns', { mode: 'number' }),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalTokens: integer('total_tokens').notNull().default(0),
    cachedInputTokens: integer('cached_input_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    stepCount: integer('step_count').notNull().default(0),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    error: text('error'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index('runs_agent_seq_idx').on(t.agentId, t.seq),
    index('runs_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    /**
     * Runs still waiting or running, by agent: few at any time, however many a thread has finished. A turn's lock
     * claim looks here for earlier runs of its thread still waiting; without it that check read every run in the
     * table, a cost that grows with history. Keyed by agent, it reads only that agent's active runs, not every
     * active run of the database (test/integration/active-runs.test.ts).
     */
    index('runs_active_idx').on(t.agentId, t.seq).where(sql`${t.status} in ('created', 'running')`),
  ],
);

/** Stream chunks of a run, kept so a background run can be replayed and followed (seq_id order). */
export const runEvents = pgTable(
  'run_events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seqId: integer('seq_id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seqId] })],
);

export const steps = pgTable(
  'steps',
  {
    id: text('id').primaryKey(),
    /** No foreign key to organizations: the row's run and agent already belong to one, and a key check per insert
     * would share-lock the one organization row from every concurrent turn (migration 0005). */
    organizationId: orgId(),
    runId: text('run_id').references(() => runs.id, { onDelete: 'cascade' }),
    /** No foreign key (migration 0008): every step belongs to a run of this agent, and the run's keys already cascade
     * an agent's deletion to its steps; the check cost every step write a lookup of the agent row. */
    agentId: text('agent_id'),
    status: text('status').notNull().default('pending'),
    origin: text('origin'),
    providerName: text('provider_name'),
    providerCategory: text('provider_category'),
    model: text('model'),
    modelHandle: text('model_handle'),
    modelEndpoint: text('model_endpoint'),
    contextWindowLimit: integer('context_window_limit'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalTokens: integer('total_tokens').notNull().default(0),
    cachedInputTokens: integer('cached_input_tokens'),
    cacheWriteTokens: integer('cache_write_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    stopReason: text('stop_reason'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    feedback: text('feedback'),
    errorType: text('error_type'),
    errorData: jsonb('error_data').$type<Record<string, unknown> | null>(),
    llmDurationMs: integer('llm_duration_ms'),
    toolDurationMs: integer('tool_duration_ms'),
    durationMs: integer('duration_ms'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index('steps_run_idx').on(t.runId, t.createdAt),
    index('steps_agent_idx').on(t.agentId, t.createdAt),
    index('steps_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);
