import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryString } from '../../http/query.js';
import { EmbeddingConfig } from '../agents/agents.schemas.js';

export const Archive = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  vector_db_provider: z.enum(['native', 'tpuf', 'pinecone']),
  embedding_config: EmbeddingConfig.nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  organization_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
});
export type Archive = z.infer<typeof Archive>;

export const CreateArchive = z.object({
  name: z.string().min(1, 'name must not be empty').max(500),
  description: z.string().nullish(),
  embedding: z.string().nullish(),
  embedding_config: EmbeddingConfig.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type CreateArchive = z.infer<typeof CreateArchive>;

export const UpdateArchive = z.object({
  name: z.string().min(1, 'name must not be empty').max(500).nullish(),
  description: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  /** Changing the model re-embeds the archive's passages in the background (job queue `reembed`). */
  embedding: z.string().nullish(),
  embedding_config: EmbeddingConfig.nullish(),
});
export type UpdateArchive = z.infer<typeof UpdateArchive>;

export const ListArchivesQuery = z.object({ ...pageQuery(), name: queryString(), agent_id: queryString() });
export type ListArchivesQuery = z.infer<typeof ListArchivesQuery>;

export const ArchiveIdParams = z.object({ archive_id: idParam('archive') });
export const ArchivePassageParams = z.object({ archive_id: idParam('archive'), passage_id: idParam('passage') });
export const AgentArchiveParams = z.object({ agent_id: idParam('agent'), archive_id: idParam('archive') });
