import { z } from 'zod';
import { idParam } from '../../ids.js';

const key = z.string().trim().min(1).max(4_096);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' ? null : v));

export const ProviderCreate = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-" (no "/")'),
  provider_type: z.string().min(1).max(50),
  api_key: key,
  access_key: optionalText(4_096),
  region: optionalText(100),
  base_url: optionalText(2_048),
  api_version: optionalText(100),
});
export type ProviderCreate = z.infer<typeof ProviderCreate>;

export const ProviderUpdate = z.object({
  api_key: key,
  access_key: optionalText(4_096),
  region: optionalText(100),
  base_url: optionalText(2_048),
  api_version: optionalText(100),
});
export type ProviderUpdate = z.infer<typeof ProviderUpdate>;

export const ProviderCheck = ProviderCreate.omit({ name: true });
export type ProviderCheck = z.infer<typeof ProviderCheck>;

/** Letta's Provider; `api_key`/`access_key` are always null here: keys are write-only. */
export const Provider = z.object({
  id: z.string(),
  name: z.string(),
  provider_type: z.string(),
  provider_category: z.literal('byok'),
  api_key: z.null(),
  access_key: z.null(),
  base_url: z.string().nullable(),
  region: z.string().nullable(),
  api_version: z.string().nullable(),
  organization_id: z.string(),
  updated_at: z.string(),
  last_synced: z.string().nullable(),
});
export type Provider = z.infer<typeof Provider>;

export const ProviderIdParams = z.object({ provider_id: idParam('provider') });

export const ListProvidersQuery = z.object({
  before: z.string().max(200).optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  name: z.string().max(100).optional(),
  provider_type: z.string().max(50).optional(),
});
export type ListProvidersQuery = z.infer<typeof ListProvidersQuery>;

export const ProviderMessage = z.object({ message: z.string() });
