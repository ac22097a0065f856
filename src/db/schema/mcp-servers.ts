import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { organizations } from './organizations.js';

export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    serverName: text('server_name').notNull(),
    serverType: text('server_type').notNull(),
    serverUrl: text('server_url'),
    stdioConfig: jsonb('stdio_config').$type<Record<string, unknown> | null>(),
    authHeader: text('auth_header'),
    /** Secrets: never echoed back by the API. */
    authToken: text('auth_token'),
    customHeaders: jsonb('custom_headers').$type<Record<string, string> | null>(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('mcp_servers_org_name_uq').on(t.organizationId, t.serverName),
    index('mcp_servers_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);
