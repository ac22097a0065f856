// Every route that sends a message or follows a run: agent and conversation sends (JSON or SSE), async runs,
// cancellation, and re-attaching to a background run. HTTP and SSE live here; the turns service returns data.
import type { FastifyReply } from 'fastify';
import { actorOf } from '../http/actor.js';
import { writeSse } from '../http/sse.js';
import type { Services } from '../services.js';
import type { TurnEvent } from './turn-events.js';
import { ConversationRefParams, OptionalAgentIdQuery } from '../resources/conversations/conversations.schemas.js';
import {
  AgentParams,
  CancelBody,
  ConversationMessageBody,
  LettaRequest,
  ResumeStreamBody,
  RunParams,
  RunStreamBody,
  TurnRequestBody,
} from './turns.schemas.js';
import type { App } from '../http/app-type.js';

/** Opens the SSE response once the service accepted the request (its 4xx stay JSON); the client leaving aborts. */
async function sse(reply: FastifyReply, start: (signal: AbortSignal) => Promise<AsyncIterable<TurnEvent>>): Promise<void> {
  const ac = new AbortController();
  const events = await start(ac.signal);
  await writeSse(reply, events, () => ac.abort());
}

export function registerTurnRoutes(app: App, s: Services): void {
  // The response schema is left open: with `streaming: true` the reply is SSE.
  app.post(
    '/v1/agents/:agent_id/messages',
    { schema: { tags: ['messages'], params: AgentParams, body: LettaRequest } },
    async (req, reply) => {
      const ref = { agentId: req.params.agent_id };
      if (!req.body.streaming) return s.turns.send(actorOf(req), ref, req.body);
      return sse(reply, async (signal) => (await s.turns.stream(actorOf(req), ref, req.body, signal)).events);
    },
  );
  app.post('/v1/agents/:agent_id/messages/stream', { schema: { params: AgentParams, body: TurnRequestBody } }, (req, reply) =>
    sse(reply, async (signal) => (await s.turns.stream(actorOf(req), { agentId: req.params.agent_id }, req.body, signal)).events),
  );
  app.post('/v1/agents/:agent_id/messages/async', { schema: { params: AgentParams, body: TurnRequestBody } }, (req) =>
    s.turns.sendAsync(actorOf(req), { agentId: req.params.agent_id }, req.body),
  );
  app.post('/v1/agents/:agent_id/messages/cancel', { schema: { params: AgentParams, body: CancelBody } }, (req) =>
    s.turns.cancel(actorOf(req), { agentId: req.params.agent_id }, req.body?.run_ids),
  );

  const tags = ['conversations'];
  const convSchema = { tags, params: ConversationRefParams, querystring: OptionalAgentIdQuery };
  app.post(
    '/v1/conversations/:conversation_id/messages',
    { schema: { ...convSchema, body: ConversationMessageBody } },
    async (req, reply) => {
      const ref = { conversationId: req.params.conversation_id, agentId: req.body.agent_id ?? req.query.agent_id };
      if (!req.body.streaming) return s.turns.send(actorOf(req), ref, req.body);
      return sse(reply, async (signal) => (await s.turns.stream(actorOf(req), ref, req.body, signal)).events);
    },
  );
  app.post('/v1/conversations/:conversation_id/stream', { schema: { ...convSchema, body: ResumeStreamBody } }, (req, reply) => {
    const body = req.body ?? {};
    const ref = { conversationId: req.params.conversation_id, agentId: body.agent_id ?? req.query.agent_id };
    return sse(reply, (signal) => s.turns.resume(actorOf(req), ref, body, signal));
  });
  app.post('/v1/conversations/:conversation_id/cancel', { schema: convSchema }, (req) =>
    s.turns.cancel(actorOf(req), { conversationId: req.params.conversation_id, agentId: req.query.agent_id }),
  );

  app.post('/v1/runs/:run_id/stream', { schema: { params: RunParams, body: RunStreamBody } }, (req, reply) =>
    sse(reply, (signal) => s.turns.follow(actorOf(req), req.params.run_id, req.body ?? {}, signal)),
  );
}
