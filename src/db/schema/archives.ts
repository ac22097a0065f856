import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps, tsvector, vector } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';

export const archives = pgTable(
  'archives',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description'),
    vectorDbProvider: text('vector_db_provider').notNull().default('native'),
    embeddingConfig: jsonb('embedding_config').$type<Record<string, unknown> | null>(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps(),
  },
  (t) => [index('archives_org_created_idx').on(t.organizationId, t.createdAt, t.id)],
);

export const agentArchives = pgTable(
  'agent_archives',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    archiveId: text('archive_id')
      .notNull()
      .references(() => archives.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    isOwner: boolean('is_owner').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.archiveId] }), index('agent_archives_archive_idx').on(t.archiveId)],
);

/**
 * Archival memory. `embedding` has no fixed dimension; HNSW indexes are partial expression indexes per
 * dimension (see src/db/vector-index.ts), so `embedding_dim` is stored alongside. The migration that adds
 * `passages_org_archive_dim_idx` also sets `toast_tuple_target = 8160` (drizzle cannot express it): vectors up to
 * ~1,900 dims stay in the row instead of the TOAST table, so an exact scan reads one page per passage, not three.
 */
export const passages = pgTable(
  'passages',
  {
    id: text('id').primaryKey(),
    /** No foreign key to organizations: the row's archive already belongs to one, and a key check per insert
     * would share-lock the one organization row from every concurrent turn (migration 0005). */
    organizationId: orgId(),
    archiveId: text('archive_id')
      .notNull()
      .references(() => archives.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    embedding: vector('embedding'),
    embeddingDim: integer('embedding_dim'),
    embeddingConfig: jsonb('embedding_config').$type<Record<string, unknown> | null>(),
    tsv: tsvector('tsv').generatedAlwaysAs(sql`to_tsvector('english', "text")`),
    sourceId: text('source_id'),
    fileId: text('file_id'),
    fileName: text('file_name'),
    ...timestamps(),
  },
  (t) => [
    index('passages_archive_created_idx').on(t.archiveId, t.createdAt),
    // Vector search reads an archive's (or an organization's) rows of one dimension through this index: the
    // capped size probe is an index-only scan, and a small slice's exact scan touches only its own rows.
    index('passages_org_archive_dim_idx').on(t.organizationId, t.archiveId, t.embeddingDim),
    index('passages_org_created_idx').on(t.organizationId, t.createdAt),
    index('passages_tags_idx').using('gin', t.tags),
    index('passages_tsv_idx').using('gin', t.tsv),
  ],
);

/** How many passages each archive holds, kept exact by statement triggers on `passages` (migration 0004): the memory
 * metadata shows it, and counting an archive's passages took a scan growing with it. */
export const archivePassageCounts = pgTable('archive_passage_counts', {
  archiveId: text('archive_id')
    .primaryKey()
    .references(() => archives.id, { onDelete: 'cascade' }),
  n: bigint('n', { mode: 'number' }).notNull().default(0),
});
