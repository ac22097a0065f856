// Keeps tool rows (tool_type external_mcp) in step with what an MCP server lists.
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import { mcpToolToJsonSchema } from '../../mcp/tool-schema.js';
import type { McpToolInfo } from '../../mcp/types.js';
import { deleteToolRows, findToolByName, listMcpToolRows, upsertToolByName } from '../tools/tools.repo.js';
import type { McpServerRow, ToolRow } from '../../db/rows.js';

export type McpToolMeta = { server_id: string; server_name: string; tool_name: string };

export function mcpMetaOf(row: ToolRow): McpToolMeta | undefined {
  const m = (row.metadata as { mcp?: Partial<McpToolMeta> } | null)?.mcp;
  if (!m?.server_id) return undefined;
  return { server_id: m.server_id, server_name: m.server_name ?? '', tool_name: m.tool_name ?? row.name };
}

/** Tool names are unique per organization; on a clash with another tool the server name becomes a prefix. */
async function rowNameFor(db: Db, server: McpServerRow, toolName: string): Promise<string> {
  const existing = await findToolByName(db, server.organizationId, toolName);
  if (!existing || mcpMetaOf(existing)?.server_id === server.id) return toolName;
  return `${server.serverName.replace(/[^A-Za-z0-9_-]/g, '_')}__${toolName}`.slice(0, 64);
}

async function upsertOne(db: Db, server: McpServerRow, info: McpToolInfo, current: ToolRow[]): Promise<ToolRow> {
  const mine = current.find((t) => mcpMetaOf(t)?.tool_name === info.name);
  const name = mine?.name ?? (await rowNameFor(db, server, info.name));
  const schema = { ...mcpToolToJsonSchema(info), name };
  return upsertToolByName(db, {
    id: newId('tool'),
    organizationId: server.organizationId,
    name,
    description: info.description,
    toolType: 'external_mcp',
    sourceType: null,
    sourceCode: null,
    jsonSchema: schema,
    tags: [`mcp:${server.serverName}`],
    metadata: { mcp: { server_id: server.id, server_name: server.serverName, tool_name: info.name } },
  });
}

export type SyncResult = { tools: ToolRow[]; added: string[]; updated: string[]; removed: string[] };

/** Upserts every listed tool; with `removeVanished`, deletes this server's rows the server no longer lists. */
export async function syncMcpTools(db: Db, server: McpServerRow, listed: McpToolInfo[], removeVanished: boolean): Promise<SyncResult> {
  const current = await listMcpToolRows(db, server.organizationId, server.id);
  const out: SyncResult = { tools: [], added: [], updated: [], removed: [] };
  for (const info of listed) {
    const existed = current.some((t) => mcpMetaOf(t)?.tool_name === info.name);
    const row = await upsertOne(db, server, info, current);
    out.tools.push(row);
    (existed ? out.updated : out.added).push(row.name);
  }
  if (removeVanished) {
    const names = new Set(listed.map((t) => t.name));
    const gone = current.filter((t) => !names.has(mcpMetaOf(t)!.tool_name));
    await deleteToolRows(
      db,
      server.organizationId,
      gone.map((t) => t.id),
    );
    out.removed = gone.map((t) => t.name);
  }
  return out;
}
