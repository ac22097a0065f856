import { z } from 'zod';
import { BadRequestError } from '../../errors.js';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import { AgentIdParams, AgentState } from '../agents/agents.schemas.js';
import type { Services } from '../../services.js';
import {
  AgentToolNameParams,
  AgentToolsQuery,
  ApprovalBody,
  ApprovalQuery,
  CreateTool,
  ListToolsQuery,
  RunToolBody,
  RunToolFromSource,
  Tool,
  ToolExecutionResult,
  ToolIdParams,
  UpdateTool,
} from './tools.schemas.js';

const tags = ['tools'];

export function registerToolRoutes(app: App, s: Services): void {
  app.post('/v1/tools/', { schema: { tags, body: CreateTool, response: { 200: Tool } } }, (req) => s.tools.create(actorOf(req), req.body));
  app.put('/v1/tools/', { schema: { tags, body: CreateTool, response: { 200: Tool } } }, (req) => s.tools.upsert(actorOf(req), req.body));
  app.get('/v1/tools/', { schema: { tags, querystring: ListToolsQuery, response: { 200: z.array(Tool) } } }, (req) =>
    s.tools.list(actorOf(req), req.query),
  );
  app.post('/v1/tools/add-base-tools', { schema: { tags, response: { 200: z.array(Tool) } } }, (req) => s.tools.addBaseTools(actorOf(req)));
  app.post('/v1/tools/run', { schema: { tags, body: RunToolFromSource, response: { 200: ToolExecutionResult } } }, (req) =>
    s.toolRuns.runFromSource(actorOf(req), req.body),
  );
  app.get('/v1/tools/:tool_id', { schema: { tags, params: ToolIdParams, response: { 200: Tool } } }, (req) =>
    s.tools.get(actorOf(req), req.params.tool_id),
  );
  app.patch('/v1/tools/:tool_id', { schema: { tags, params: ToolIdParams, body: UpdateTool, response: { 200: Tool } } }, (req) =>
    s.tools.update(actorOf(req), req.params.tool_id, req.body ?? {}),
  );
  app.delete('/v1/tools/:tool_id', { schema: { tags, params: ToolIdParams } }, (req) => s.tools.delete(actorOf(req), req.params.tool_id));

  const agentTags = ['agents', 'tools'];
  app.get(
    '/v1/agents/:agent_id/tools',
    { schema: { tags: agentTags, params: AgentIdParams, querystring: AgentToolsQuery, response: { 200: z.array(Tool) } } },
    (req) => s.tools.listForAgent(actorOf(req), req.params.agent_id, req.query),
  );
  app.post(
    '/v1/agents/:agent_id/tools/:tool_name/run',
    { schema: { tags: agentTags, params: AgentToolNameParams, body: RunToolBody.nullish(), response: { 200: ToolExecutionResult } } },
    (req) => s.toolRuns.runForAgent(actorOf(req), req.params.agent_id, req.params.tool_name, req.body?.args ?? {}),
  );
  app.patch(
    '/v1/agents/:agent_id/tools/approval/:tool_name',
    {
      schema: {
        tags: agentTags,
        params: AgentToolNameParams,
        querystring: ApprovalQuery,
        body: ApprovalBody,
        response: { 200: AgentState },
      },
    },
    async (req) => {
      const requires = req.body?.body_requires_approval ?? req.body?.requires_approval ?? req.query.requires_approval;
      if (requires == null)
        throw new BadRequestError('requires_approval is required (body requires_approval / body_requires_approval, or query)');
      return s.toolRuns.setApproval(actorOf(req), req.params.agent_id, req.params.tool_name, requires);
    },
  );
}
