import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Optional quotas set through the admin API; null means no limit. */
  maxAgents: integer('max_agents'),
  maxTokensPerDay: bigint('max_tokens_per_day', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Organization API keys. Only the SHA-256 of the secret is stored (the secret never reaches the database); `prefix`
 * is a short non-secret head of the key, for telling keys apart in listings. Deleting the organization deletes them.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_keys_org_created_idx').on(t.organizationId, t.createdAt)],
);
