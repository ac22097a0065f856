import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { Services } from '../../services.js';
import {
  ListProvidersQuery,
  Provider,
  ProviderCheck,
  ProviderCreate,
  ProviderIdParams,
  ProviderMessage,
  ProviderUpdate,
} from './providers.schemas.js';
import type { App } from '../../http/app-type.js';

const tags = ['providers'];

export function registerProviderRoutes(app: App, s: Services): void {
  const p = s.providers;
  app.get('/v1/providers/', { schema: { tags, querystring: ListProvidersQuery, response: { 200: z.array(Provider) } } }, (req) =>
    p.list(actorOf(req), req.query),
  );
  app.post('/v1/providers/', { schema: { tags, body: ProviderCreate, response: { 200: Provider } } }, (req) =>
    p.create(actorOf(req), req.body),
  );
  app.post('/v1/providers/check', { schema: { tags, body: ProviderCheck, response: { 200: ProviderMessage } } }, (req) =>
    p.check(req.body),
  );
  app.get('/v1/providers/:provider_id', { schema: { tags, params: ProviderIdParams, response: { 200: Provider } } }, (req) =>
    p.get(actorOf(req), req.params.provider_id),
  );
  app.patch(
    '/v1/providers/:provider_id',
    { schema: { tags, params: ProviderIdParams, body: ProviderUpdate, response: { 200: Provider } } },
    (req) => p.update(actorOf(req), req.params.provider_id, req.body),
  );
  app.delete('/v1/providers/:provider_id', { schema: { tags, params: ProviderIdParams, response: { 200: ProviderMessage } } }, (req) =>
    p.delete(actorOf(req), req.params.provider_id),
  );
  app.post('/v1/providers/:provider_id/check', { schema: { tags, params: ProviderIdParams, response: { 200: ProviderMessage } } }, (req) =>
    p.checkExisting(actorOf(req), req.params.provider_id),
  );
  app.patch('/v1/providers/:provider_id/refresh', { schema: { tags, params: ProviderIdParams, response: { 200: Provider } } }, (req) =>
    p.refresh(actorOf(req), req.params.provider_id),
  );
}
