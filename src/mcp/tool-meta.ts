// Which MCP server and remote tool an external_mcp tool row stands for (kept in its metadata under `mcp`).
import type { ToolRow } from '../db/rows.js';

export type McpToolMeta = { server_id: string; server_name: string; tool_name: string };

export function mcpMetaOf(row: ToolRow): McpToolMeta | undefined {
  const m = (row.metadata as { mcp?: Partial<McpToolMeta> } | null)?.mcp;
  if (!m?.server_id) return undefined;
  return { server_id: m.server_id, server_name: m.server_name ?? '', tool_name: m.tool_name ?? row.name };
}
