// SQL for MCP servers.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mcpServers } from '../../db/schema/index.js';
import type { McpServerInsert, McpServerRow } from '../../db/rows.js';

export async function insertMcpServer(db: Db, row: McpServerInsert): Promise<McpServerRow> {
  const [r] = await db.insert(mcpServers).values(row).returning();
  return r!;
}

export async function findMcpServer(db: Db, orgId: string, id: string): Promise<McpServerRow | undefined> {
  const [r] = await db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, orgId), eq(mcpServers.id, id)));
  return r;
}

export async function findMcpServerByName(db: Db, orgId: string, name: string): Promise<McpServerRow | undefined> {
  const [r] = await db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, orgId), eq(mcpServers.serverName, name)));
  return r;
}

export async function listMcpServerRows(db: Db, orgId: string): Promise<McpServerRow[]> {
  return db.select().from(mcpServers).where(eq(mcpServers.organizationId, orgId)).orderBy(asc(mcpServers.createdAt), asc(mcpServers.id));
}

export async function updateMcpServerRow(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<McpServerInsert>,
): Promise<McpServerRow | undefined> {
  const [r] = await db
    .update(mcpServers)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(mcpServers.organizationId, orgId), eq(mcpServers.id, id)))
    .returning();
  return r;
}

export async function deleteMcpServerRow(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(mcpServers)
    .where(and(eq(mcpServers.organizationId, orgId), eq(mcpServers.id, id)))
    .returning({ id: mcpServers.id });
  return rows.length > 0;
}
