import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import { idParam } from '../../ids.js';
import { pageQuery } from '../../http/query.js';
import type { Services } from '../../services.js';
import { AgentState, ListAgentsQueryBase } from '../agents/agents.schemas.js';
import { Block, BlockIdParams, CreateBlock, ListBlocksQuery, UpdateBlock } from './blocks.schemas.js';

const tags = ['blocks'];
const AgentLabelParams = z.object({ agent_id: idParam('agent'), block_label: z.string().min(1) });

export function registerBlockRoutes(app: App, s: Services): void {
  app.post('/v1/blocks/', { schema: { tags, body: CreateBlock, response: { 200: Block } } }, (req) =>
    s.blocks.create(actorOf(req), req.body),
  );
  app.get('/v1/blocks/', { schema: { tags, querystring: ListBlocksQuery, response: { 200: z.array(Block) } } }, (req) =>
    s.blocks.list(actorOf(req), req.query),
  );
  app.get('/v1/blocks/:block_id', { schema: { tags, params: BlockIdParams, response: { 200: Block } } }, (req) =>
    s.blocks.get(actorOf(req), req.params.block_id),
  );
  app.patch('/v1/blocks/:block_id', { schema: { tags, params: BlockIdParams, body: UpdateBlock, response: { 200: Block } } }, (req) =>
    s.blocks.update(actorOf(req), req.params.block_id, req.body ?? {}),
  );
  app.delete('/v1/blocks/:block_id', { schema: { tags, params: BlockIdParams } }, (req) =>
    s.blocks.delete(actorOf(req), req.params.block_id),
  );
  app.get(
    '/v1/blocks/:block_id/agents',
    { schema: { tags, params: BlockIdParams, querystring: ListAgentsQueryBase, response: { 200: z.array(AgentState) } } },
    (req) => s.agents.listForBlock(actorOf(req), req.params.block_id, req.query),
  );

  const agentTags = ['agents', 'core-memory'];
  app.get(
    '/v1/agents/:agent_id/core-memory/blocks',
    {
      schema: {
        tags: agentTags,
        params: z.object({ agent_id: idParam('agent') }),
        querystring: z.object(pageQuery()),
        response: { 200: z.array(Block) },
      },
    },
    (req) => s.blocks.listForAgent(actorOf(req), req.params.agent_id, req.query),
  );
  app.get(
    '/v1/agents/:agent_id/core-memory/blocks/:block_label',
    { schema: { tags: agentTags, params: AgentLabelParams, response: { 200: Block } } },
    (req) => s.blocks.getByLabel(actorOf(req), req.params.agent_id, req.params.block_label),
  );
  app.patch(
    '/v1/agents/:agent_id/core-memory/blocks/:block_label',
    { schema: { tags: agentTags, params: AgentLabelParams, body: UpdateBlock, response: { 200: Block } } },
    (req) => s.blocks.updateByLabel(actorOf(req), req.params.agent_id, req.params.block_label, req.body ?? {}),
  );
}
