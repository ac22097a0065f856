// Calls an external_mcp tool on the server recorded in its metadata, with that server's stored config.
import type { McpManager } from '../../mcp/manager.js';
import { mcpMetaOf } from '../../mcp/tool-meta.js';
import type { McpServerConfigInput } from '../../mcp/types.js';
import type { ToolRow } from '../../db/rows.js';
import { friendlyError } from './friendly-error.js';
import type { ExternalRunResult } from './run-types.js';

/** The stored config of an organization's MCP server, or undefined when it no longer exists. */
export type McpServerLookup = (orgId: string, serverId: string) => Promise<McpServerConfigInput | undefined>;

export async function runMcpTool(
  deps: { mcp: McpManager; mcpServerConfig: McpServerLookup },
  tool: ToolRow,
  args: Record<string, unknown>,
): Promise<ExternalRunResult> {
  const meta = mcpMetaOf(tool);
  if (!meta) return fail(tool, 'McpToolError', 'the tool does not record which MCP server it belongs to');
  const config = await deps.mcpServerConfig(tool.organizationId, meta.server_id);
  if (!config) return fail(tool, 'McpToolError', `MCP server ${meta.server_name || meta.server_id} no longer exists`);
  const res = await deps.mcp.callTool(meta.server_id, config, meta.tool_name, args);
  return { status: res.status, funcReturn: res.text, stdout: [], stderr: [] };
}

function fail(tool: ToolRow, name: string, message: string): ExternalRunResult {
  return { status: 'error', funcReturn: friendlyError(tool.name, name, message), stdout: [], stderr: [] };
}
