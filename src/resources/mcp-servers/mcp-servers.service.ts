// MCP server use cases: CRUD with masked secrets, listing / refreshing / running the server's tools.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { ConflictError, NotFoundError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { McpManager } from '../../mcp/manager.js';
import { assertAgentExists } from '../agents/agents.repo.js';
import { toTool } from '../tools/tools.mapper.js';
import { deleteToolRows, findTool, listMcpToolRows } from '../tools/tools.repo.js';
import type { Tool, ToolExecutionResult } from '../tools/tools.schemas.js';
import { assertAllowedConfig, assertValidConfig, configColumns, type McpServerPolicy } from './mcp-config.js';
import { toManagerConfig, toMcpServer } from './mcp-servers.mapper.js';
import * as repo from './mcp-servers.repo.js';
import type { CreateMcpServer, McpServer, RefreshResult, UpdateMcpServer } from './mcp-servers.schemas.js';
import { mcpMetaOf } from '../../mcp/tool-meta.js';
import { syncMcpTools } from './mcp-tools.js';
import type { McpServerRow } from '../../db/rows.js';

export function createMcpServersService(deps: { db: Db; mcp: McpManager; policy: McpServerPolicy }) {
  const { db, mcp, policy } = deps;

  async function mustGet(actor: Actor, id: string): Promise<McpServerRow> {
    const row = await repo.findMcpServer(db, actor.orgId, id);
    if (!row) throw notFound('MCP server', id);
    return row;
  }

  async function assertNameFree(actor: Actor, name: string, selfId?: string): Promise<void> {
    const clash = await repo.findMcpServerByName(db, actor.orgId, name);
    if (clash && clash.id !== selfId) throw new ConflictError(`An MCP server named '${name}' already exists (${clash.id})`);
  }

  async function create(actor: Actor, body: CreateMcpServer): Promise<McpServer> {
    const cols = configColumns(body.config);
    assertValidConfig(body.server_name, cols);
    await assertAllowedConfig(cols, policy);
    await assertNameFree(actor, body.server_name);
    const row = await repo.insertMcpServer(db, {
      id: newId('mcp_server'),
      organizationId: actor.orgId,
      serverName: body.server_name,
      ...cols,
    });
    return toMcpServer(row);
  }

  async function update(actor: Actor, id: string, body: UpdateMcpServer): Promise<McpServer> {
    const current = await mustGet(actor, id);
    const name = body.server_name ?? current.serverName;
    if (name !== current.serverName) await assertNameFree(actor, name, id);
    const cols = body.config ? configColumns(body.config, current) : {};
    assertValidConfig(name, { ...current, ...cols });
    // A rename alone starts nothing; a new config (or a switch to stdio) needs what create needs.
    if (body.config) await assertAllowedConfig({ ...current, ...cols }, policy);
    const row = await repo.updateMcpServerRow(db, actor.orgId, id, { serverName: name, ...cols });
    await mcp.disconnect(id);
    return toMcpServer(row!);
  }

  async function remove(actor: Actor, id: string): Promise<void> {
    await mustGet(actor, id);
    const tools = await listMcpToolRows(db, actor.orgId, id);
    await db.transaction(async (tx) => {
      await deleteToolRows(
        tx,
        actor.orgId,
        tools.map((t) => t.id),
      );
      await repo.deleteMcpServerRow(tx, actor.orgId, id);
    });
    await mcp.disconnect(id);
  }

  /** Asks the server for its tools (connection errors → 502, timeouts → 504) and stores them as tool rows. */
  async function listTools(actor: Actor, id: string): Promise<Tool[]> {
    const server = await mustGet(actor, id);
    const listed = await mcp.listTools(id, toManagerConfig(server));
    return (await syncMcpTools(db, server, listed, false)).tools.map(toTool);
  }

  async function mustGetTool(actor: Actor, id: string, toolId: string) {
    await mustGet(actor, id);
    const tool = await findTool(db, actor.orgId, toolId);
    if (!tool || mcpMetaOf(tool)?.server_id !== id) throw new NotFoundError(`MCP server ${id} has no tool with ID ${toolId}`);
    return tool;
  }

  async function runTool(actor: Actor, id: string, toolId: string, args: Record<string, unknown>): Promise<ToolExecutionResult> {
    const tool = await mustGetTool(actor, id, toolId);
    const server = await mustGet(actor, id);
    const res = await mcp.callTool(id, toManagerConfig(server), mcpMetaOf(tool)!.tool_name, args);
    return { status: res.status, func_return: res.text, stdout: [], stderr: [], agent_state: null, sandbox_config_fingerprint: null };
  }

  async function refresh(actor: Actor, id: string, agentId?: string): Promise<RefreshResult> {
    if (agentId) await assertAgentExists(db, actor.orgId, agentId);
    const server = await mustGet(actor, id);
    const listed = await mcp.refresh(id, toManagerConfig(server));
    const r = await syncMcpTools(db, server, listed, true);
    const message = `Refreshed ${server.serverName}: ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed`;
    return { message, added: r.added, updated: r.updated, removed: r.removed };
  }

  return {
    create,
    list: async (actor: Actor) => (await repo.listMcpServerRows(db, actor.orgId)).map(toMcpServer),
    get: async (actor: Actor, id: string) => toMcpServer(await mustGet(actor, id)),
    update,
    delete: remove,
    listTools,
    getTool: async (actor: Actor, id: string, toolId: string) => toTool(await mustGetTool(actor, id, toolId)),
    runTool,
    refresh,
  };
}

export type McpServersService = ReturnType<typeof createMcpServersService>;
