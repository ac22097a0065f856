// Folders (Letta "sources"), their files, the files' searchable chunks, and each agent's file window.
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgId, timestamps, tsvector, vector } from './columns.js';
import { organizations } from './organizations.js';
import { agents } from './agents.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const folders = pgTable(
  'folders',
  {
    id: text('id').primaryKey(),
    organizationId: orgId().references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description'),
    instructions: text('instructions'),
    metadata: jsonb('metadata').$type<Record<string, unknown> | null>(),
    embeddingConfig: jsonb('embedding_config').$type<Record<string, unknown>>().notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('folders_org_name_idx').on(t.organizationId, t.name),
    index('folders_org_created_idx').on(t.organizationId, t.createdAt, t.id),
  ],
);

export const folderFiles = pgTable(
  'folder_files',
  {
    id: text('id').primaryKey(),
    organizationId: orgId(),
    folderId: text('folder_id')
      .notNull()
      .references(() => folders.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    originalFileName: text('original_file_name').notNull(),
    fileType: text('file_type'),
    fileSize: integer('file_size').notNull().default(0),
    processingStatus: text('processing_status').notNull().default('pending'),
    errorMessage: text('error_message'),
    totalChunks: integer('total_chunks'),
    chunksEmbedded: integer('chunks_embedded'),
    /** Extracted text (markdown-ish), filled by the processing job. */
    content: text('content'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('folder_files_folder_name_idx').on(t.folderId, t.fileName),
    index('folder_files_org_folder_created_idx').on(t.organizationId, t.folderId, t.createdAt, t.id),
  ],
);

/** The uploaded bytes, streamed in parts until the processing job has read them (then deleted). */
export const folderFileBlobs = pgTable(
  'folder_file_blobs',
  {
    fileId: text('file_id')
      .notNull()
      .references(() => folderFiles.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] })],
);

/** Searchable chunks of files: same columns the hybrid search engine reads on `passages` (see src/memory/hybrid-search.ts). */
export const fileChunks = pgTable(
  'file_chunks',
  {
    id: text('id').primaryKey(),
    organizationId: orgId(),
    folderId: text('folder_id').notNull(),
    fileId: text('file_id')
      .notNull()
      .references(() => folderFiles.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    text: text('text').notNull(),
    embedding: vector('embedding'),
    embeddingDim: integer('embedding_dim'),
    embeddingConfig: jsonb('embedding_config').$type<Record<string, unknown> | null>(),
    tsv: tsvector('tsv').generatedAlwaysAs(sql`to_tsvector('english', "text")`),
    ...timestamps(),
  },
  (t) => [
    index('file_chunks_org_folder_dim_idx').on(t.organizationId, t.folderId, t.embeddingDim),
    index('file_chunks_file_idx').on(t.fileId, t.chunkIndex),
    index('file_chunks_tsv_idx').using('gin', t.tsv),
  ],
);

export const agentFolders = pgTable(
  'agent_folders',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    folderId: text('folder_id')
      .notNull()
      .references(() => folders.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.folderId] }), index('agent_folders_folder_idx').on(t.folderId)],
);

/** An agent's view of one file: open or closed, the visible line range, last access (for LRU closing). */
export const agentFileViews = pgTable(
  'agent_file_views',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    fileId: text('file_id')
      .notNull()
      .references(() => folderFiles.id, { onDelete: 'cascade' }),
    folderId: text('folder_id').notNull(),
    organizationId: orgId(),
    isOpen: boolean('is_open').notNull().default(true),
    /** 0-based first visible line and line count; null = from the start, as much as fits. */
    startLine: integer('start_line'),
    lineCount: integer('line_count'),
    lastAccessedAt: timestamp('last_accessed_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.fileId] }), index('agent_file_views_file_idx').on(t.fileId)],
);
