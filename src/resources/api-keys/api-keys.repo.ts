// SQL for organization API keys: only hashes are written or read.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiKeys } from '../../db/schema/index.js';
import type { ApiKeyInsert, ApiKeyRow } from '../../db/rows.js';

export async function insertApiKey(db: Db, row: ApiKeyInsert): Promise<ApiKeyRow> {
  const [r] = await db.insert(apiKeys).values(row).returning();
  return r!;
}

export async function listApiKeyRows(db: Db, orgId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.organizationId, orgId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

export async function deleteApiKeyRow(db: Db, orgId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [r] = await db
    .delete(apiKeys)
    .where(and(eq(apiKeys.organizationId, orgId), eq(apiKeys.id, id)))
    .returning();
  return r;
}

/** The key's owner, found by the hash of the presented secret (unique index). */
export async function findKeyByHash(db: Db, hash: string): Promise<{ id: string; organizationId: string } | undefined> {
  const [r] = await db.select({ id: apiKeys.id, organizationId: apiKeys.organizationId }).from(apiKeys).where(eq(apiKeys.keyHash, hash));
  return r;
}
