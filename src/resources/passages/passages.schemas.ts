import { z } from 'zod';
import { idParam } from '../../ids.js';
import { queryArray, queryBool, queryInt, queryString } from '../../http/query.js';
import { EmbeddingConfig } from '../agents/agents.schemas.js';

export const Passage = z.object({
  id: z.string(),
  text: z.string(),
  embedding: z.array(z.number()).nullable(),
  embedding_config: EmbeddingConfig.nullable(),
  archive_id: z.string().nullable(),
  source_id: z.string().nullable(),
  file_id: z.string().nullable(),
  file_name: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()).nullable(),
  is_deleted: z.boolean(),
  organization_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
});
export type Passage = z.infer<typeof Passage>;

const passageText = z
  .string()
  .min(1, 'text must not be empty')
  .transform((s) => s.replaceAll('\u0000', ''));
const isoDate = z.iso.datetime({ offset: true, local: true, message: 'must be an ISO 8601 date-time' });

export const CreateArchivePassage = z.object({
  text: passageText,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  tags: z.array(z.string()).nullish(),
  created_at: isoDate.nullish(),
});
export type CreateArchivePassage = z.infer<typeof CreateArchivePassage>;
export const CreateArchivePassages = z.object({ passages: z.array(CreateArchivePassage).min(1).max(1000) });

export const CreateAgentPassage = z.object({
  text: passageText,
  tags: z.array(z.string()).nullish(),
  created_at: isoDate.nullish(),
});
export type CreateAgentPassage = z.infer<typeof CreateAgentPassage>;

export const ListAgentPassagesQuery = z.object({
  after: queryString(),
  before: queryString(),
  limit: queryInt(1, 10_000),
  search: queryString(),
  ascending: queryBool(),
});
export type ListAgentPassagesQuery = z.infer<typeof ListAgentPassagesQuery>;

export const SearchAgentPassagesQuery = z.object({
  query: z.string({ message: 'query is required' }),
  tags: queryArray(),
  tag_match_mode: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['any', 'all']).optional()),
  top_k: queryInt(1, 1000),
  start_datetime: queryString(),
  end_datetime: queryString(),
});
export type SearchAgentPassagesQuery = z.infer<typeof SearchAgentPassagesQuery>;

const Relevance = z.object({ rrf_score: z.number(), vector_rank: z.number().int().nullable(), fts_rank: z.number().int().nullable() });

const AgentSearchResult = z.object({
  id: z.string(),
  timestamp: z.string(),
  content: z.string(),
  tags: z.array(z.string()),
  relevance: Relevance,
});
export const AgentSearchResponse = z.object({ results: z.array(AgentSearchResult), count: z.number().int() });
export type AgentSearchResponse = z.infer<typeof AgentSearchResponse>;

export const PassageSearchBody = z.object({
  query: z.string().nullish(),
  agent_id: idParam('agent').nullish(),
  archive_id: idParam('archive').nullish(),
  tags: z.array(z.string()).nullish(),
  tag_match_mode: z.enum(['any', 'all']).nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  limit: z.number().int().min(1).max(100).nullish(),
});
export type PassageSearchBody = z.infer<typeof PassageSearchBody>;

export const PassageSearchResult = z.object({ passage: Passage, score: z.number(), metadata: z.record(z.string(), z.unknown()) });
export type PassageSearchResult = z.infer<typeof PassageSearchResult>;

export const AgentIdParams = z.object({ agent_id: idParam('agent') });
export const AgentMemoryParams = z.object({ agent_id: idParam('agent'), memory_id: idParam('passage') });
