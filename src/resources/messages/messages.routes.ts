import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import {
  AgentIdParams,
  LettaMessageWire,
  ListAllMessagesQuery,
  ListMessagesQuery,
  MessageIdParams,
  RecompileQuery,
  ResetMessagesBody,
} from './messages.schemas.js';

const tags = ['messages'];

export function registerMessageRoutes(app: App, s: Services): void {
  app.get(
    '/v1/agents/:agent_id/messages',
    { schema: { tags, params: AgentIdParams, querystring: ListMessagesQuery, response: { 200: z.array(LettaMessageWire) } } },
    (req) => s.messages.list(actorOf(req), req.params.agent_id, req.query),
  );
  app.patch('/v1/agents/:agent_id/reset-messages', { schema: { tags, params: AgentIdParams, body: ResetMessagesBody } }, (req) =>
    s.messages.reset(actorOf(req), req.params.agent_id, req.body?.add_default_initial_messages ?? false),
  );
  app.post('/v1/agents/:agent_id/recompile', { schema: { tags, params: AgentIdParams, querystring: RecompileQuery } }, async (req, reply) =>
    reply
      .type('application/json')
      .send(JSON.stringify(await s.messages.recompile(actorOf(req), req.params.agent_id, req.query.dry_run ?? false))),
  );
  app.get('/v1/messages/', { schema: { tags, querystring: ListAllMessagesQuery, response: { 200: z.array(LettaMessageWire) } } }, (req) =>
    s.messages.listRows(
      actorOf(req),
      { agentId: req.query.agent_id, runId: req.query.run_id, roles: req.query.role ? [req.query.role] : undefined },
      req.query,
      'letta_v1_agent',
    ),
  );
  app.get('/v1/messages/:message_id', { schema: { tags, params: MessageIdParams, response: { 200: z.array(LettaMessageWire) } } }, (req) =>
    s.messages.get(actorOf(req), req.params.message_id),
  );
}
