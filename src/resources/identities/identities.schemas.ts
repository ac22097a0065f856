// Wire shapes of identities (one application user / org that owns agents and shared blocks).
import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryString } from '../../http/query.js';

const IDENTITY_TYPES = ['org', 'user', 'other'] as const;
const IdentityType = z.enum(IDENTITY_TYPES);

export const IdentityProperty = z
  .object({
    key: z.string().min(1, 'property key must not be empty'),
    value: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]),
    type: z.enum(['string', 'number', 'boolean', 'json']),
  })
  .refine((p) => propertyFits(p), { message: 'property value does not match its type' });
export type IdentityProperty = z.infer<typeof IdentityProperty>;

function propertyFits(p: { value: unknown; type: string }): boolean {
  if (p.type === 'json') return typeof p.value === 'object' && p.value !== null;
  return typeof p.value === p.type;
}

export const Identity = z.object({
  id: z.string(),
  identifier_key: z.string(),
  name: z.string(),
  identity_type: IdentityType,
  project_id: z.string().nullable(),
  agent_ids: z.array(z.string()),
  block_ids: z.array(z.string()),
  properties: z.array(IdentityProperty),
});
export type Identity = z.infer<typeof Identity>;

export const CreateIdentity = z.object({
  identifier_key: z.string().min(1, 'identifier_key must not be empty'),
  name: z.string().min(1, 'name must not be empty'),
  identity_type: IdentityType,
  project_id: z.string().nullish(),
  agent_ids: z.array(idParam('agent')).nullish(),
  block_ids: z.array(idParam('block')).nullish(),
  properties: z.array(IdentityProperty).nullish(),
});
export type CreateIdentity = z.infer<typeof CreateIdentity>;

export const UpdateIdentity = z.object({
  identifier_key: z.string().min(1).nullish(),
  name: z.string().min(1).nullish(),
  identity_type: IdentityType.nullish(),
  agent_ids: z.array(idParam('agent')).nullish(),
  block_ids: z.array(idParam('block')).nullish(),
  properties: z.array(IdentityProperty).nullish(),
});
export type UpdateIdentity = z.infer<typeof UpdateIdentity>;

export const IdentityIdParams = z.object({ identity_id: idParam('identity') });
export const AgentIdentityParams = z.object({ agent_id: idParam('agent'), identity_id: idParam('identity') });

export const ListIdentitiesQuery = z.object({
  ...pageQuery(),
  name: queryString(),
  project_id: queryString(),
  identifier_key: queryString(),
  identity_type: z.preprocess((v) => (v === '' ? undefined : v), IdentityType.optional()),
});
export type ListIdentitiesQuery = z.infer<typeof ListIdentitiesQuery>;
