import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { RunToolBody, Tool, ToolExecutionResult } from '../tools/tools.schemas.js';
import {
  CreateMcpServer,
  McpServer,
  McpServerIdParams,
  McpToolParams,
  RefreshQuery,
  RefreshResult,
  UpdateMcpServer,
} from './mcp-servers.schemas.js';

const tags = ['mcp-servers'];

export function registerMcpServerRoutes(app: App, s: Services): void {
  app.post('/v1/mcp-servers/', { schema: { tags, body: CreateMcpServer, response: { 200: McpServer } } }, (req) =>
    s.mcpServers.create(actorOf(req), req.body),
  );
  app.get('/v1/mcp-servers/', { schema: { tags, response: { 200: z.array(McpServer) } } }, (req) => s.mcpServers.list(actorOf(req)));
  app.get('/v1/mcp-servers/:mcp_server_id', { schema: { tags, params: McpServerIdParams, response: { 200: McpServer } } }, (req) =>
    s.mcpServers.get(actorOf(req), req.params.mcp_server_id),
  );
  app.patch(
    '/v1/mcp-servers/:mcp_server_id',
    { schema: { tags, params: McpServerIdParams, body: UpdateMcpServer, response: { 200: McpServer } } },
    (req) => s.mcpServers.update(actorOf(req), req.params.mcp_server_id, req.body ?? {}),
  );
  app.delete('/v1/mcp-servers/:mcp_server_id', { schema: { tags, params: McpServerIdParams } }, async (req, reply) => {
    await s.mcpServers.delete(actorOf(req), req.params.mcp_server_id);
    return reply.code(204).send();
  });
  app.patch(
    '/v1/mcp-servers/:mcp_server_id/refresh',
    { schema: { tags, params: McpServerIdParams, querystring: RefreshQuery, response: { 200: RefreshResult } } },
    (req) => s.mcpServers.refresh(actorOf(req), req.params.mcp_server_id, req.query.agent_id),
  );
  app.get(
    '/v1/mcp-servers/:mcp_server_id/tools',
    { schema: { tags, params: McpServerIdParams, response: { 200: z.array(Tool) } } },
    (req) => s.mcpServers.listTools(actorOf(req), req.params.mcp_server_id),
  );
  app.get('/v1/mcp-servers/:mcp_server_id/tools/:tool_id', { schema: { tags, params: McpToolParams, response: { 200: Tool } } }, (req) =>
    s.mcpServers.getTool(actorOf(req), req.params.mcp_server_id, req.params.tool_id),
  );
  app.post(
    '/v1/mcp-servers/:mcp_server_id/tools/:tool_id/run',
    { schema: { tags, params: McpToolParams, body: RunToolBody.nullish(), response: { 200: ToolExecutionResult } } },
    (req) => s.mcpServers.runTool(actorOf(req), req.params.mcp_server_id, req.params.tool_id, req.body?.args ?? {}),
  );
}
