// Git-backed agent memory ("memfs"): git objects and the branch tip of each agent's repository.
// The database is the repository's truth; the bare repos git-http-backend serves are caches rebuilt from these rows.
import { customType, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { agents } from './agents.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** One git object (blob, tree or commit) of an agent's memory repository, content without the git header. */
export const memfsObjects = pgTable(
  'memfs_objects',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    sha: text('sha').notNull(),
    type: text('type').$type<'blob' | 'tree' | 'commit'>().notNull(),
    data: bytea('data').notNull(),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.sha] }), index('memfs_objects_org_idx').on(t.organizationId)],
);

/** The tip of `main` per agent: the row lock serialises pushes and server-side commits across processes. */
export const memfsRefs = pgTable('memfs_refs', {
  agentId: text('agent_id')
    .primaryKey()
    .references(() => agents.id, { onDelete: 'cascade' }),
  organizationId: orgId(),
  head: text('head').notNull(),
  ...timestamps(),
});
