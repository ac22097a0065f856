import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { providers } from '../../db/schema/providers.js';

export type ProviderRow = typeof providers.$inferSelect;
export type ProviderInsert = typeof providers.$inferInsert;

export async function insertProvider(db: Db, row: ProviderInsert): Promise<ProviderRow> {
  const [out] = await db.insert(providers).values(row).returning();
  return out!;
}

export async function findProvider(db: Db, orgId: string, id: string): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.organizationId, orgId), eq(providers.id, id)));
  return row;
}

export async function findProviderByName(db: Db, orgId: string, name: string): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.organizationId, orgId), eq(providers.name, name)));
  return row;
}

/** Oldest first; an organization has few providers, so the service pages in memory. */
export async function listProviderRows(db: Db, orgId: string, f: { name?: string; type?: string }): Promise<ProviderRow[]> {
  const conds = [eq(providers.organizationId, orgId)];
  if (f.name) conds.push(eq(providers.name, f.name));
  if (f.type) conds.push(eq(providers.providerType, f.type));
  return db
    .select()
    .from(providers)
    .where(and(...conds))
    .orderBy(asc(providers.createdAt), asc(providers.id))
    .limit(10_000);
}

export async function updateProviderRow(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<ProviderInsert>,
): Promise<ProviderRow | undefined> {
  const [row] = await db
    .update(providers)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(providers.organizationId, orgId), eq(providers.id, id)))
    .returning();
  return row;
}

export async function deleteProviderRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(providers)
    .where(and(eq(providers.organizationId, orgId), eq(providers.id, id)))
    .returning({ id: providers.id });
  return gone.length > 0;
}
