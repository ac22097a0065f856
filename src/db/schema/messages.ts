import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { orgId, tsvector, vector } from './columns.js';
import { agents } from './agents.js';

/** Every message an agent ever saw or produced (recall memory). Never deleted by eviction. */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    /** No foreign key to organizations: the row's agent already belongs to one, and a key check per insert
     * would share-lock the one organization row from every concurrent turn (migration 0005). */
    organizationId: orgId(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id'),
    /** Server-generated total order (Letta's sequence_id). */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    role: text('role').notNull(),
    content: jsonb('content').$type<Record<string, unknown>[] | null>(),
    /** Flattened searchable text of the message (user text, reply, tool args/returns). */
    text: text('text').notNull().default(''),
    tsv: tsvector('tsv').generatedAlwaysAs(sql`to_tsvector('english', coalesce("text", ''))`),
    embedding: vector('embedding'),
    embeddingDim: integer('embedding_dim'),
    name: text('name'),
    model: text('model'),
    toolCalls: jsonb('tool_calls').$type<Record<string, unknown>[] | null>(),
    toolCallId: text('tool_call_id'),
    toolReturns: jsonb('tool_returns').$type<Record<string, unknown>[] | null>(),
    stepId: text('step_id'),
    runId: text('run_id'),
    otid: text('otid'),
    senderId: text('sender_id'),
    groupId: text('group_id'),
    batchItemId: text('batch_item_id'),
    isErr: boolean('is_err'),
    approve: boolean('approve'),
    approvalRequestId: text('approval_request_id'),
    approvals: jsonb('approvals').$type<Record<string, unknown>[] | null>(),
    denialReason: text('denial_reason'),
    extras: jsonb('extras').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
  },
  (t) => [
    index('messages_agent_seq_idx').on(t.agentId, t.seq),
    index('messages_org_seq_idx').on(t.organizationId, t.seq),
    index('messages_conversation_idx').on(t.conversationId, t.seq),
    index('messages_run_idx').on(t.runId),
    index('messages_step_idx').on(t.stepId),
    index('messages_tsv_idx').using('gin', t.tsv),
  ],
);
