// Calls an external_mcp tool on the server recorded in its metadata, with that server's stored config.
import type { Db } from '../../db/client.js';
import type { McpManager } from '../../mcp/manager.js';
import { toManagerConfig } from '../../resources/mcp-servers/mcp-servers.mapper.js';
import { findMcpServer } from '../../resources/mcp-servers/mcp-servers.repo.js';
import { mcpMetaOf } from '../../resources/mcp-servers/mcp-tools.js';
import type { ExternalRunResult } from './run-types.js';
import { friendlyError } from './friendly-error.js';
import type { ToolRow } from '../../db/rows.js';

export async function runMcpTool(
  deps: { db: Db; mcp: McpManager },
  tool: ToolRow,
  args: Record<string, unknown>,
): Promise<ExternalRunResult> {
  const meta = mcpMetaOf(tool);
  if (!meta) return fail(tool, 'McpToolError', 'the tool does not record which MCP server it belongs to');
  const server = await findMcpServer(deps.db, tool.organizationId, meta.server_id);
  if (!server) return fail(tool, 'McpToolError', `MCP server ${meta.server_name || meta.server_id} no longer exists`);
  const res = await deps.mcp.callTool(server.id, toManagerConfig(server), meta.tool_name, args);
  return { status: res.status, funcReturn: res.text, stdout: [], stderr: [] };
}

function fail(tool: ToolRow, name: string, message: string): ExternalRunResult {
  return { status: 'error', funcReturn: friendlyError(tool.name, name, message), stdout: [], stderr: [] };
}
