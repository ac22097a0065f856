// Wire shapes of the admin API's organizations (tenants) and their quotas.
import { z } from 'zod';
import { idParam } from '../../ids.js';

const quotaValue = z.number().int().min(0).nullable();

export const OrgQuotas = z.object({
  /** Most agents the organization may hold; creating or importing past it answers 429. */
  max_agents: quotaValue.optional(),
  /** Most model tokens (steps' total_tokens) per UTC day; once reached, the next message send answers 429. */
  max_tokens_per_day: quotaValue.optional(),
});
export type OrgQuotas = z.infer<typeof OrgQuotas>;

export const Organization = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  quotas: z.object({ max_agents: z.number().int().nullable(), max_tokens_per_day: z.number().int().nullable() }),
});
export type Organization = z.infer<typeof Organization>;

export const CreateOrganization = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  quotas: OrgQuotas.optional(),
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const UpdateOrganization = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters').optional(),
  quotas: OrgQuotas.optional(),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

export const OrgIdParams = z.object({ org_id: idParam('org') });
