// Keeps tool rows (tool_type external_mcp) in step with what an MCP server lists.
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import { mcpToolToJsonSchema } from '../../mcp/tool-schema.js';
import { mcpMetaOf } from '../../mcp/tool-meta.js';
import type { McpToolInfo } from '../../mcp/types.js';
import type { McpServerLookup } from '../../tools/external/mcp-tool.js';
import { toManagerConfig } from './mcp-servers.mapper.js';
import { findMcpServer } from './mcp-servers.repo.js';
import { deleteToolRows, findToolByName, listMcpToolRows, upsertToolByName } from '../tools/tools.repo.js';
import type { McpServerRow, ToolRow } from '../../db/rows.js';

/** The stored config of an organization's MCP server, for the tool executor (see McpServerLookup). */
export const mcpServerLookup =
  (db: Db): McpServerLookup =>
  async (orgId, serverId) => {
    const server = await findMcpServer(db, orgId, serverId);
    return server && toManagerConfig(server);
  };

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
