// Bring-your-own-key model providers of an organization. Keys are stored only encrypted (src/secrets/secret-box.ts).
import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';

export const providers = pgTable(
  'providers',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    providerType: text('provider_type').notNull(),
    baseUrl: text('base_url'),
    /** AES-256-GCM ciphertext of the API key under MNEMO_SECRET_KEY; never returned. */
    apiKeyEnc: text('api_key_enc').notNull(),
    accessKeyEnc: text('access_key_enc'),
    region: text('region'),
    apiVersion: text('api_version'),
    lastSynced: timestamp('last_synced', { withTimezone: true, precision: 6 }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('providers_org_name_uq').on(t.organizationId, t.name),
    index('providers_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);
