import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import { openSse } from '../../http/sse.js';
import { idParam } from '../../ids.js';
import type { Services } from '../../services.js';
import {
  CreateGroup,
  Group,
  GroupAsyncRequest,
  GroupBlockParams,
  GroupIdParams,
  GroupMessageRequest,
  ListGroupMessagesQuery,
  ListGroupsQuery,
  UpdateGroup,
} from './groups.schemas.js';

const tags = ['groups'];

export function registerGroupRoutes(app: App, s: Services): void {
  app.post('/v1/groups/', { schema: { tags, body: CreateGroup, response: { 200: Group } } }, (req) =>
    s.groups.create(actorOf(req), req.body),
  );
  app.get('/v1/groups/', { schema: { tags, querystring: ListGroupsQuery, response: { 200: z.array(Group) } } }, (req) =>
    s.groups.list(actorOf(req), req.query),
  );
  app.get('/v1/groups/count', { schema: { tags, response: { 200: z.number().int() } } }, (req) => s.groups.count(actorOf(req)));
  app.get('/v1/groups/:group_id', { schema: { tags, params: GroupIdParams, response: { 200: Group } } }, (req) =>
    s.groups.get(actorOf(req), req.params.group_id),
  );
  app.patch('/v1/groups/:group_id', { schema: { tags, params: GroupIdParams, body: UpdateGroup, response: { 200: Group } } }, (req) =>
    s.groups.update(actorOf(req), req.params.group_id, req.body ?? {}),
  );
  app.delete('/v1/groups/:group_id', { schema: { tags, params: GroupIdParams } }, (req) =>
    s.groups.delete(actorOf(req), req.params.group_id),
  );
  app.patch(
    '/v1/groups/:group_id/blocks/attach/:block_id',
    { schema: { tags, params: GroupBlockParams, response: { 200: z.null() } } },
    (req) => s.groups.attachBlock(actorOf(req), req.params.group_id, req.params.block_id),
  );
  app.patch(
    '/v1/groups/:group_id/blocks/detach/:block_id',
    { schema: { tags, params: GroupBlockParams, response: { 200: z.null() } } },
    (req) => s.groups.detachBlock(actorOf(req), req.params.group_id, req.params.block_id),
  );
  app.get('/v1/groups/:group_id/messages', { schema: { tags, params: GroupIdParams, querystring: ListGroupMessagesQuery } }, (req) =>
    s.groups.listMessages(actorOf(req), req.params.group_id, req.query),
  );
  app.patch('/v1/groups/:group_id/reset-messages', { schema: { tags, params: GroupIdParams, response: { 200: z.null() } } }, (req) =>
    s.groups.resetMessages(actorOf(req), req.params.group_id),
  );
  app.post('/v1/groups/:group_id/messages', { schema: { tags, params: GroupIdParams, body: GroupMessageRequest } }, (req) =>
    s.groupChat.send(actorOf(req), req.params.group_id, req.body),
  );
  app.post('/v1/groups/:group_id/messages/async', { schema: { tags, params: GroupIdParams, body: GroupAsyncRequest } }, (req) =>
    s.groupChat.sendAsync(actorOf(req), req.params.group_id, req.body),
  );
  app.post(
    '/v1/groups/:group_id/messages/stream',
    { schema: { tags, params: GroupIdParams, body: GroupMessageRequest } },
    async (req, reply) => {
      const actor = actorOf(req);
      await s.groups.mustGet(actor, req.params.group_id);
      const sse = openSse(reply);
      try {
        const r = await s.groupChat.send(actor, req.params.group_id, req.body, (m) => void sse.send(m));
        sse.send(r.stop_reason);
        sse.send(r.usage);
      } catch (e) {
        sse.error({ message: e instanceof Error ? e.message : String(e) });
      }
      sse.done();
    },
  );
  app.get(
    '/v1/agents/:agent_id/groups',
    {
      schema: {
        tags: ['agents'],
        params: z.object({ agent_id: idParam('agent') }),
        querystring: ListGroupsQuery,
        response: { 200: z.array(Group) },
      },
    },
    (req) => s.groups.listForAgent(actorOf(req), req.params.agent_id, req.query),
  );
}
