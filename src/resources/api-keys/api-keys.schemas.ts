// Wire shapes of an organization's API keys; the secret appears only in the answer that creates it.
import { z } from 'zod';
import { idParam } from '../../ids.js';

export const ApiKey = z.object({
  id: z.string(),
  organization_id: z.string(),
  name: z.string(),
  /** The key's first characters, not secret: enough to tell keys apart. */
  prefix: z.string(),
  created_at: z.string(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const CreatedApiKey = ApiKey.extend({
  /** The secret, shown this once; only its hash is stored. */
  key: z.string(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const CreateApiKey = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
});
export type CreateApiKey = z.infer<typeof CreateApiKey>;

export const ApiKeyParams = z.object({ org_id: idParam('org'), key_id: idParam('apikey') });
