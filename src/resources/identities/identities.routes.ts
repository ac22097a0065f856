import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { AgentState, ListAgentsQueryBase } from '../agents/agents.schemas.js';
import { Block } from '../blocks/blocks.schemas.js';
import {
  AgentIdentityParams,
  CreateIdentity,
  Identity,
  IdentityIdParams,
  IdentityProperty,
  ListIdentitiesQuery,
  UpdateIdentity,
} from './identities.schemas.js';

const tags = ['identities'];

export function registerIdentityRoutes(app: App, s: Services): void {
  app.post('/v1/identities/', { schema: { tags, body: CreateIdentity, response: { 200: Identity } } }, (req) =>
    s.identities.create(actorOf(req), req.body),
  );
  app.put('/v1/identities/', { schema: { tags, body: CreateIdentity, response: { 200: Identity } } }, (req) =>
    s.identities.upsert(actorOf(req), req.body),
  );
  app.get('/v1/identities/', { schema: { tags, querystring: ListIdentitiesQuery, response: { 200: z.array(Identity) } } }, (req) =>
    s.identities.list(actorOf(req), req.query),
  );
  app.get('/v1/identities/count', { schema: { tags, response: { 200: z.number().int() } } }, (req) => s.identities.count(actorOf(req)));
  app.get('/v1/identities/:identity_id', { schema: { tags, params: IdentityIdParams, response: { 200: Identity } } }, (req) =>
    s.identities.get(actorOf(req), req.params.identity_id),
  );
  app.patch(
    '/v1/identities/:identity_id',
    { schema: { tags, params: IdentityIdParams, body: UpdateIdentity, response: { 200: Identity } } },
    (req) => s.identities.update(actorOf(req), req.params.identity_id, req.body ?? {}),
  );
  app.put(
    '/v1/identities/:identity_id/properties',
    { schema: { tags, params: IdentityIdParams, body: z.array(IdentityProperty), response: { 200: Identity } } },
    (req) => s.identities.replaceProperties(actorOf(req), req.params.identity_id, req.body),
  );
  app.delete('/v1/identities/:identity_id', { schema: { tags, params: IdentityIdParams } }, (req) =>
    s.identities.delete(actorOf(req), req.params.identity_id),
  );
  app.get(
    '/v1/identities/:identity_id/agents',
    { schema: { tags, params: IdentityIdParams, querystring: ListAgentsQueryBase, response: { 200: z.array(AgentState) } } },
    async (req) => {
      await s.identities.mustGet(actorOf(req), req.params.identity_id);
      return s.agents.list(actorOf(req), { ...req.query, identity_id: req.params.identity_id });
    },
  );
  app.get('/v1/identities/:identity_id/blocks', { schema: { tags, params: IdentityIdParams, response: { 200: z.array(Block) } } }, (req) =>
    s.identities.listBlocks(actorOf(req), req.params.identity_id),
  );
  app.patch(
    '/v1/agents/:agent_id/identities/attach/:identity_id',
    { schema: { tags: ['agents'], params: AgentIdentityParams, response: { 200: z.null() } } },
    (req) => s.identities.attachAgent(actorOf(req), req.params.agent_id, req.params.identity_id),
  );
  app.patch(
    '/v1/agents/:agent_id/identities/detach/:identity_id',
    { schema: { tags: ['agents'], params: AgentIdentityParams, response: { 200: z.null() } } },
    (req) => s.identities.detachAgent(actorOf(req), req.params.agent_id, req.params.identity_id),
  );
}
