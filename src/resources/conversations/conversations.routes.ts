// HTTP edge of /v1/conversations: CRUD, history, fork, recompile, compact (sending and cancelling: src/turns/).
// Routes on one thread also take `default` + agent_id, or an agent id, for the agent's own thread.
import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { LettaMessageWire } from '../messages/messages.schemas.js';
import {
  AgentIdQuery,
  CompactBody,
  Conversation,
  ConversationIdParams,
  ConversationMessagesQuery,
  ConversationRefParams,
  CreateConversation,
  ForkQuery,
  ListConversationsQuery,
  OptionalAgentIdQuery,
  RecompileQuery,
  UpdateConversation,
} from './conversations.schemas.js';

const tags = ['conversations'];
const Params = ConversationRefParams;

export function registerConversationRoutes(app: App, s: Services): void {
  app.post(
    '/v1/conversations/',
    { schema: { tags, querystring: AgentIdQuery, body: CreateConversation, response: { 200: Conversation } } },
    (req) => s.conversations.create(actorOf(req), req.query.agent_id, req.body),
  );
  app.get(
    '/v1/conversations/',
    { schema: { tags, querystring: ListConversationsQuery, response: { 200: z.array(Conversation) } } },
    (req) => s.conversations.list(actorOf(req), req.query),
  );
  app.get(
    '/v1/conversations/:conversation_id',
    { schema: { tags, params: Params, querystring: OptionalAgentIdQuery, response: { 200: Conversation } } },
    (req) => s.conversations.get(actorOf(req), req.params.conversation_id, req.query.agent_id),
  );
  app.patch(
    '/v1/conversations/:conversation_id',
    { schema: { tags, params: Params, querystring: OptionalAgentIdQuery, body: UpdateConversation, response: { 200: Conversation } } },
    (req) => s.conversations.update(actorOf(req), req.params.conversation_id, req.body, req.body?.agent_id ?? req.query.agent_id),
  );
  app.delete('/v1/conversations/:conversation_id', { schema: { tags, params: ConversationIdParams } }, async (req, reply) =>
    reply.type('application/json').send(JSON.stringify(await s.conversations.delete(actorOf(req), req.params.conversation_id))),
  );
  app.get(
    '/v1/conversations/:conversation_id/messages',
    { schema: { tags, params: Params, querystring: ConversationMessagesQuery, response: { 200: z.array(LettaMessageWire) } } },
    (req) => s.messages.listConversation(actorOf(req), req.params.conversation_id, req.query),
  );
  app.post(
    '/v1/conversations/:conversation_id/fork',
    { schema: { tags, params: Params, querystring: ForkQuery, response: { 200: Conversation } } },
    (req) =>
      s.conversations.fork(actorOf(req), req.params.conversation_id, {
        agentId: req.query.agent_id,
        hidden: req.query.hidden,
        messageId: req.query.message_id,
      }),
  );
  app.post(
    '/v1/conversations/:conversation_id/recompile',
    { schema: { tags, params: Params, querystring: RecompileQuery, body: CompactBody } },
    async (req, reply) => {
      const text = await s.conversations.recompile(
        actorOf(req),
        req.params.conversation_id,
        req.query.dry_run ?? false,
        req.body?.agent_id ?? req.query.agent_id,
      );
      return reply.type('application/json').send(JSON.stringify(text));
    },
  );
  app.post('/v1/conversations/:conversation_id/compact', { schema: { tags, params: Params, body: CompactBody } }, (req) =>
    s.conversations.compact(actorOf(req), req.params.conversation_id, req.body?.compaction_settings, req.body?.agent_id),
  );
}
