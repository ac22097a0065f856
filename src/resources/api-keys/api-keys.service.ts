// Admin use cases for API keys (create shows the secret once, list, revoke) and the per-request key lookup.
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import * as orgRepo from '../organizations/organizations.repo.js';
import * as repo from './api-keys.repo.js';
import type { ApiKey, CreateApiKey, CreatedApiKey } from './api-keys.schemas.js';
import { hashKey, KEY_PREFIX, newSecret } from './key-secret.js';
import type { ApiKeyRow } from '../../db/rows.js';

export type KeyOwner = { keyId: string; orgId: string };

function toApiKey(r: ApiKeyRow): ApiKey {
  return { id: r.id, organization_id: r.organizationId, name: r.name, prefix: r.prefix, created_at: r.createdAt.toISOString() };
}

/**
 * Lookups are cached for at most `cacheMs` (≤ 1 s), so a key revoked by any process sharing the database stops
 * working everywhere within that time; a revocation in this process drops its entry at once. Unknown keys are not
 * cached, so the cache holds only real keys and stays small.
 */
export function createApiKeysService(deps: { db: Db; cacheMs?: number; maxCached?: number }) {
  const { db } = deps;
  const cacheMs = Math.min(deps.cacheMs ?? 1000, 1000);
  const maxCached = deps.maxCached ?? 10_000;
  const cache = new Map<string, { owner: KeyOwner; until: number }>();

  async function mustOrg(orgId: string): Promise<void> {
    if (!(await orgRepo.findOrg(db, orgId))) throw notFound('Organization', orgId);
  }

  return {
    async create(orgId: string, req: CreateApiKey): Promise<CreatedApiKey> {
      await mustOrg(orgId);
      const secret = newSecret();
      const row = await repo.insertApiKey(db, {
        id: newId('apikey'),
        organizationId: orgId,
        name: req.name,
        prefix: secret.prefix,
        keyHash: secret.hash,
      });
      return { ...toApiKey(row), key: secret.key };
    },
    async list(orgId: string): Promise<ApiKey[]> {
      await mustOrg(orgId);
      return (await repo.listApiKeyRows(db, orgId)).map(toApiKey);
    },
    async revoke(orgId: string, keyId: string): Promise<{ message: string }> {
      const row = await repo.deleteApiKeyRow(db, orgId, keyId);
      if (!row) throw notFound('API key', keyId);
      cache.delete(row.keyHash);
      return { message: `API key id=${keyId} revoked` };
    },
    /** Drops the cached keys of a deleted organization (other processes drop theirs within `cacheMs`). */
    forgetOrg(orgId: string): void {
      for (const [hash, e] of cache) if (e.owner.orgId === orgId) cache.delete(hash);
    },
    /** The organization a presented secret belongs to, or undefined for an unknown or revoked key. */
    async authenticate(key: string): Promise<KeyOwner | undefined> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
      const hash = hashKey(key);
      const now = Date.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.owner;
      const row = await repo.findKeyByHash(db, hash);
      if (!row) {
        cache.delete(hash);
        return undefined;
      }
      const owner = { keyId: row.id, orgId: row.organizationId };
      if (cacheMs > 0) {
        if (cache.size >= maxCached) cache.clear();
        cache.set(hash, { owner, until: now + cacheMs });
      }
      return owner;
    },
  };
}
export type ApiKeysService = ReturnType<typeof createApiKeysService>;
