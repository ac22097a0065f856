import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { AgentIdParams, CompactionResponse, ContextQuery, ContextWindowOverview, SummarizeBody } from './context-window.schemas.js';

const tags = ['agents'];

export function registerContextWindowRoutes(app: App, s: Services): void {
  app.get(
    '/v1/agents/:agent_id/context',
    { schema: { tags, params: AgentIdParams, querystring: ContextQuery, response: { 200: ContextWindowOverview } } },
    (req) => s.contextWindow.overview(actorOf(req), req.params.agent_id, req.query.conversation_id ?? null),
  );
  app.post(
    '/v1/agents/:agent_id/summarize',
    { schema: { tags, params: AgentIdParams, body: SummarizeBody, response: { 200: CompactionResponse } } },
    (req) => s.contextWindow.summarize(actorOf(req), req.params.agent_id, req.body ?? {}),
  );
}
