import { z } from 'zod';
import { queryArray, queryString } from '../../http/query.js';
import type { App } from '../../http/app-type.js';
import { actorOf } from '../../http/actor.js';
import { EmbeddingModel, Model } from '../../llm/model.schemas.js';
import type { Services } from '../../services.js';

const tags = ['models'];
const ModelListQuery = z.object({ provider_category: queryArray(), provider_name: queryString(), provider_type: queryString() });
type ModelListQuery = z.infer<typeof ModelListQuery>;

type Listed = { provider_name: string; provider_type: string; model_endpoint_type?: string; provider_category?: string | null };

function filterModels<T extends Listed>(models: T[], q: ModelListQuery): T[] {
  return models.filter(
    (m) =>
      (!q.provider_name || m.provider_name === q.provider_name) &&
      (!q.provider_type || m.provider_type === q.provider_type || m.model_endpoint_type === q.provider_type) &&
      (!q.provider_category?.length || q.provider_category.includes(String(m.provider_category ?? 'base'))),
  );
}

export function registerModelRoutes(app: App, s: Services): void {
  app.get('/v1/models/', { schema: { tags, querystring: ModelListQuery, response: { 200: z.array(Model) } } }, async (req) =>
    filterModels(await s.models.listModels(actorOf(req).orgId), req.query),
  );
  app.get(
    '/v1/models/embedding',
    { schema: { tags, querystring: ModelListQuery, response: { 200: z.array(EmbeddingModel) } } },
    async (req) => filterModels(await s.models.listEmbeddingModels(actorOf(req).orgId), req.query),
  );
}
