import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';

export const DEFAULT_BLOCK_LIMIT = 100_000;

export const Block = z.object({
  id: z.string(),
  label: z.string().nullable(),
  value: z.string(),
  limit: z.number().int(),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  read_only: z.boolean(),
  hidden: z.boolean().nullable(),
  tags: z.array(z.string()),
  is_template: z.boolean(),
  template_name: z.string().nullable(),
  preserve_on_migration: z.boolean(),
  project_id: z.string().nullable(),
  template_id: z.string().nullable(),
  base_template_id: z.string().nullable(),
  deployment_id: z.string().nullable(),
  entity_id: z.string().nullable(),
  created_by_id: z.string().nullable(),
  last_updated_by_id: z.string().nullable(),
});
export type Block = z.infer<typeof Block>;

const blockFields = {
  limit: z.number().int().min(1).max(10_000_000).nullish(),
  description: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  read_only: z.boolean().nullish(),
  hidden: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
  is_template: z.boolean().nullish(),
  template_name: z.string().nullish(),
  preserve_on_migration: z.boolean().nullish(),
  project_id: z.string().nullish(),
  template_id: z.string().nullish(),
  base_template_id: z.string().nullish(),
  deployment_id: z.string().nullish(),
  entity_id: z.string().nullish(),
};

/** NUL bytes cannot be stored in Postgres text; Letta strips them too. */
const blockValue = z.string().transform((s) => s.replaceAll('\u0000', ''));

export const CreateBlock = z.object({
  label: z.string().min(1, 'label must not be empty').max(200),
  value: blockValue,
  ...blockFields,
});
export type CreateBlock = z.infer<typeof CreateBlock>;

export const UpdateBlock = z.object({
  label: z.string().min(1).max(200).nullish(),
  value: blockValue.nullish(),
  ...blockFields,
});
export type UpdateBlock = z.infer<typeof UpdateBlock>;

export const BlockIdParams = z.object({ block_id: idParam('block') });

export const ListBlocksQuery = z.object({
  ...pageQuery(),
  label: queryString(),
  name: queryString(),
  tags: queryArray(),
  match_all_tags: queryBool(),
  label_search: queryString(),
  description_search: queryString(),
  value_search: queryString(),
  templates_only: queryBool(),
  project_id: queryString(),
  identity_id: queryString(),
  identifier_keys: queryArray(),
});
export type ListBlocksQuery = z.infer<typeof ListBlocksQuery>;
