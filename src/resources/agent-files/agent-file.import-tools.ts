// Import of MCP servers and tools: servers matched by name, tools upserted by name (built-ins never overwritten).
import type { Actor } from '../../actor.js';
import { IDS_PER_LOOKUP, inBatches } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import { isBuiltinToolName } from '../../tools/builtin/registry.js';
import { findToolsByNames, upsertToolByName } from '../tools/tools.repo.js';
import { bool, obj, str } from './agent-file.fields.js';
import { findMcpServersByNames, insertMcpServer } from './agent-file.repo.js';
import type { FileMcpServer, FileTool } from './agent-file.schemas.js';
import type { ToolInsert, ToolRow } from '../../db/rows.js';

export type ImportedMcpServers = { ids: Map<string, string>; notes: string[] };

/**
 * file mcp_server id → server id. Existing servers of the same name are reused; credentials must be re-entered.
 * A new stdio server comes in disabled: a file must never make this server start a command (see stdioImportNote).
 */
export async function importMcpServers(tx: Db, actor: Actor, servers: FileMcpServer[]): Promise<ImportedMcpServers> {
  const names = servers.map((s) => s.server_name);
  const existing = new Map(
    (await inBatches(names, IDS_PER_LOOKUP, (batch) => findMcpServersByNames(tx, actor.orgId, batch))).map((e) => [e.serverName, e]),
  );
  const out: ImportedMcpServers = { ids: new Map(), notes: [] };
  for (const s of servers) {
    const found = existing.get(s.server_name);
    const stdio = s.server_type === 'stdio';
    const stdioConfig = stdio ? { ...obj(s.stdio_config), disabled: true } : (s.stdio_config ?? null);
    const row =
      found ??
      (await insertMcpServer(tx, {
        id: newId('mcp_server'),
        organizationId: actor.orgId,
        serverName: s.server_name,
        serverType: s.server_type,
        serverUrl: s.server_url ?? null,
        stdioConfig,
        metadata: obj(s.metadata_) ?? {},
      }));
    if (!found && stdio) out.notes.push(stdioImportNote(row.serverName, row.id));
    out.ids.set(s.id, row.id);
  }
  return out;
}

function stdioImportNote(name: string, id: string): string {
  return (
    `MCP server '${name}' (${id}) runs a local command and was imported disabled; review it and save its config ` +
    `(PATCH /v1/mcp-servers/${id}) to enable it. stdio servers also need the operator's MNEMO_ALLOW_MCP_STDIO=1.`
  );
}

const isLettaTool = (t: FileTool) => (t.tool_type ?? '').startsWith('letta_') || isBuiltinToolName(t.name);

/** file tool id → stored tool row. */
export async function importTools(
  tx: Db,
  actor: Actor,
  tools: FileTool[],
  mcpIds: Map<string, string>,
  overrideExisting: boolean,
): Promise<Map<string, ToolRow>> {
  const names = tools.map((t) => t.name);
  const existing = new Map(
    (await inBatches(names, IDS_PER_LOOKUP, (batch) => findToolsByNames(tx, actor.orgId, batch))).map((r) => [r.name, r]),
  );
  const out = new Map<string, ToolRow>();
  for (const t of tools) {
    const found = existing.get(t.name);
    const keep = found && (isLettaTool(t) || found.toolType.startsWith('letta_') || !overrideExisting);
    out.set(t.id, keep ? found : await upsertToolByName(tx, toolInsert(actor, t, mcpIds)));
  }
  return out;
}

function toolInsert(actor: Actor, t: FileTool, mcpIds: Map<string, string>): ToolInsert {
  const schema = t.json_schema ?? {
    name: t.name,
    description: t.description ?? '',
    parameters: { type: 'object', properties: {}, required: [] },
  };
  return {
    id: newId('tool'),
    organizationId: actor.orgId,
    name: t.name,
    description: t.description ?? null,
    toolType: t.tool_type ?? 'custom',
    sourceType: sourceTypeOf(t),
    sourceCode: t.source_code ?? null,
    jsonSchema: schema,
    argsJsonSchema: t.args_json_schema ?? null,
    tags: t.tags ?? [],
    returnCharLimit: t.return_char_limit ?? 50_000,
    pipRequirements: (t.pip_requirements as ToolInsert['pipRequirements']) ?? null,
    npmRequirements: (t.npm_requirements as ToolInsert['npmRequirements']) ?? null,
    defaultRequiresApproval: bool(t.default_requires_approval),
    enableParallelExecution: bool(t.enable_parallel_execution),
    metadata: remapMcpMetadata(t.metadata_ ?? {}, mcpIds),
    projectId: str(t.project_id),
  };
}

/**
 * Letta files label some tools source_type 'json' (the schema was given as JSON) while the source is Python that
 * Letta runs as Python; we store the language so the sandbox can run it.
 */
function sourceTypeOf(t: FileTool): string {
  const declared = t.source_type ?? 'python';
  if (declared === 'json' && t.source_code && /^\s*(async\s+)?def\s+\w+\s*\(/m.test(t.source_code)) return 'python';
  return declared;
}

function remapMcpMetadata(meta: Record<string, unknown>, mcpIds: Map<string, string>): Record<string, unknown> {
  const mcp = obj(meta.mcp);
  const mapped = typeof mcp?.server_id === 'string' ? mcpIds.get(mcp.server_id) : undefined;
  return mapped ? { ...meta, mcp: { ...mcp, server_id: mapped } } : meta;
}
