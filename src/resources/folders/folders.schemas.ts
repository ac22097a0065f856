// Wire shapes of folders (Letta "sources"), their files, and an agent's file window.
import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryBool, queryString } from '../../http/query.js';
import { EmbeddingConfig } from '../agents/agents.schemas.js';

const Metadata = z.record(z.string(), z.unknown());

export const Folder = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  instructions: z.string().nullable(),
  metadata: Metadata.nullable(),
  embedding_config: EmbeddingConfig,
  vector_db_provider: z.literal('native'),
  organization_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
});
export type Folder = z.infer<typeof Folder>;

export const CreateFolder = z.object({
  name: z.string().min(1, 'name must not be empty').max(255),
  description: z.string().max(10_000).nullish(),
  instructions: z.string().max(50_000).nullish(),
  metadata: Metadata.nullish(),
  embedding: z.string().max(300).nullish(),
  embedding_chunk_size: z.number().int().min(50).max(8192).nullish(),
  embedding_config: EmbeddingConfig.nullish(),
});
export type CreateFolder = z.infer<typeof CreateFolder>;

export const UpdateFolder = z.object({
  name: z.string().min(1, 'name must not be empty').max(255).nullish(),
  description: z.string().max(10_000).nullish(),
  instructions: z.string().max(50_000).nullish(),
  metadata: Metadata.nullish(),
  embedding_config: EmbeddingConfig.nullish(),
});
export type UpdateFolder = z.infer<typeof UpdateFolder>;

export const ListFoldersQuery = z.object({ ...pageQuery(), name: queryString() });
export type ListFoldersQuery = z.infer<typeof ListFoldersQuery>;

const PROCESSING_STATUSES = ['pending', 'parsing', 'embedding', 'completed', 'error'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export const FileMetadata = z.object({
  id: z.string(),
  source_id: z.string(),
  organization_id: z.string(),
  file_name: z.string(),
  original_file_name: z.string(),
  file_path: z.string().nullable(),
  file_type: z.string().nullable(),
  file_size: z.number().int(),
  file_creation_date: z.string().nullable(),
  file_last_modified_date: z.string().nullable(),
  processing_status: z.enum(PROCESSING_STATUSES),
  error_message: z.string().nullable(),
  total_chunks: z.number().int().nullable(),
  chunks_embedded: z.number().int().nullable(),
  content: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type FileMetadata = z.infer<typeof FileMetadata>;

const DUPLICATE_HANDLING = ['skip', 'error', 'suffix', 'replace'] as const;
export type DuplicateHandling = (typeof DUPLICATE_HANDLING)[number];
export const UploadQuery = z.object({
  duplicate_handling: z.preprocess((v) => (v === '' ? undefined : v), z.enum(DUPLICATE_HANDLING).optional()),
  name: queryString().pipe(z.string().max(255).optional()),
});
export type UploadQuery = z.infer<typeof UploadQuery>;

export const ListFilesQuery = z.object({ ...pageQuery(), include_content: queryBool() });
export type ListFilesQuery = z.infer<typeof ListFilesQuery>;
export const FileQuery = z.object({ include_content: queryBool() });

export const AgentFile = z.object({
  id: z.string(),
  agent_id: z.string(),
  file_id: z.string(),
  file_name: z.string(),
  folder_id: z.string(),
  folder_name: z.string(),
  is_open: z.boolean(),
  last_accessed_at: z.string().nullable(),
  visible_content: z.string().nullable(),
  start_line: z.number().int().nullable(),
  end_line: z.number().int().nullable(),
});
export type AgentFile = z.infer<typeof AgentFile>;
export const AgentFilesPage = z.object({ files: z.array(AgentFile), next_cursor: z.string().nullable(), has_more: z.boolean() });
export const AgentFilesQuery = z.object({
  cursor: queryString(),
  limit: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(1000).optional()),
  is_open: queryBool(),
});
export type AgentFilesQuery = z.infer<typeof AgentFilesQuery>;

export const AgentFileParams = z.object({ agent_id: idParam('agent'), file_id: idParam('file') });

export const FolderNameParams = z.object({ folder_name: z.string().min(1).max(255) });
export const SourceNameParams = z.object({ source_name: z.string().min(1).max(255) });

/** Letta's OrganizationSourcesStats: file counts and sizes per folder; `files` only when asked for. */
export const FolderStatsQuery = z.object({ include_detailed_per_source_metadata: queryBool() });
const FileStats = z.object({ file_id: z.string(), file_name: z.string(), file_size: z.number().int().nullable() });
const SourceStats = z.object({
  source_id: z.string(),
  source_name: z.string(),
  file_count: z.number().int(),
  total_size: z.number().int(),
  files: z.array(FileStats),
});
export const OrganizationSourcesStats = z.object({
  total_sources: z.number().int(),
  total_files: z.number().int(),
  total_size: z.number().int(),
  sources: z.array(SourceStats),
});
export type OrganizationSourcesStats = z.infer<typeof OrganizationSourcesStats>;
