import { actorOf } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { AgentIdParams } from '../agents/agents.schemas.js';
import { GenerateRequest, GenerateResponse } from './generate.schemas.js';
import type { App } from '../../http/app-type.js';

export function registerGenerateRoutes(app: App, s: Services): void {
  app.post(
    '/v1/agents/:agent_id/generate',
    { schema: { tags: ['agents'], params: AgentIdParams, body: GenerateRequest, response: { 200: GenerateResponse } } },
    (req) => s.generate.generate(actorOf(req), req.params.agent_id, req.body),
  );
}
