// Routes of live turns: /messages/stream (SSE), /messages/async (Run at once), /messages/cancel.
import { z } from 'zod';
import type { App } from '../http/app-type.js';
import { actorOf } from '../http/actor.js';
import { idParam } from '../ids.js';
import type { Services } from '../services.js';
import { TurnRequestBody } from './turn-request.schema.js';

const AgentParams = z.object({ agent_id: idParam('agent') });
const CancelBody = z.looseObject({ run_ids: z.array(z.string()).nullish() }).nullish();

export function registerStreamingRoutes(app: App, s: Services): void {
  app.post('/v1/agents/:agent_id/messages/stream', { schema: { params: AgentParams, body: TurnRequestBody } }, async (req, reply) =>
    s.streaming.stream(actorOf(req), req.params.agent_id, req.body, reply),
  );
  app.post('/v1/agents/:agent_id/messages/async', { schema: { params: AgentParams, body: TurnRequestBody } }, async (req) =>
    s.streaming.sendAsync(actorOf(req), req.params.agent_id, req.body),
  );
  app.post('/v1/agents/:agent_id/messages/cancel', { schema: { params: AgentParams, body: CancelBody } }, async (req) =>
    s.streaming.cancel(actorOf(req), req.params.agent_id, req.body?.run_ids),
  );
}
