import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import { idParam } from '../../ids.js';
import type { Services } from '../../services.js';
import { AgentIdParams, AgentState, CreateAgent, ListAgentsQuery, RetrieveAgentQuery, UpdateAgent } from './agents.schemas.js';

const tags = ['agents'];
const AgentBlockParams = z.object({ agent_id: idParam('agent'), block_id: idParam('block') });
const AgentToolParams = z.object({ agent_id: idParam('agent'), tool_id: idParam('tool') });

export function registerAgentRoutes(app: App, s: Services): void {
  app.post('/v1/agents/', { schema: { tags, body: CreateAgent, response: { 200: AgentState } } }, (req) =>
    s.agents.create(actorOf(req), req.body ?? {}),
  );
  app.get('/v1/agents/', { schema: { tags, querystring: ListAgentsQuery, response: { 200: z.array(AgentState) } } }, (req) =>
    s.agents.list(actorOf(req), req.query),
  );
  app.get(
    '/v1/agents/:agent_id',
    { schema: { tags, params: AgentIdParams, querystring: RetrieveAgentQuery, response: { 200: AgentState } } },
    (req) => s.agents.get(actorOf(req), req.params.agent_id),
  );
  app.patch('/v1/agents/:agent_id', { schema: { tags, params: AgentIdParams, body: UpdateAgent, response: { 200: AgentState } } }, (req) =>
    s.agents.update(actorOf(req), req.params.agent_id, req.body ?? {}),
  );
  app.delete('/v1/agents/:agent_id', { schema: { tags, params: AgentIdParams } }, (req) =>
    s.agents.delete(actorOf(req), req.params.agent_id),
  );
  app.patch(
    '/v1/agents/:agent_id/core-memory/blocks/attach/:block_id',
    { schema: { tags, params: AgentBlockParams, response: { 200: AgentState } } },
    (req) => s.agents.attachBlock(actorOf(req), req.params.agent_id, req.params.block_id),
  );
  app.patch(
    '/v1/agents/:agent_id/core-memory/blocks/detach/:block_id',
    { schema: { tags, params: AgentBlockParams, response: { 200: AgentState } } },
    (req) => s.agents.detachBlock(actorOf(req), req.params.agent_id, req.params.block_id),
  );
  app.patch(
    '/v1/agents/:agent_id/tools/attach/:tool_id',
    { schema: { tags, params: AgentToolParams, response: { 200: AgentState } } },
    (req) => s.agents.attachTool(actorOf(req), req.params.agent_id, req.params.tool_id),
  );
  app.patch(
    '/v1/agents/:agent_id/tools/detach/:tool_id',
    { schema: { tags, params: AgentToolParams, response: { 200: AgentState } } },
    (req) => s.agents.detachTool(actorOf(req), req.params.agent_id, req.params.tool_id),
  );
}
