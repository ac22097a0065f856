// Admin API: an organization's API keys. Only the instance admin key (MNEMO_API_KEY) reaches these.
import { z } from 'zod';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { OrgIdParams } from '../organizations/organizations.schemas.js';
import { ApiKey, ApiKeyParams, CreateApiKey, CreatedApiKey } from './api-keys.schemas.js';

const tags = ['admin'];

export function registerApiKeyRoutes(app: App, s: Services): void {
  app.post(
    '/v1/admin/orgs/:org_id/api-keys',
    { schema: { tags, params: OrgIdParams, body: CreateApiKey, response: { 200: CreatedApiKey } } },
    (req) => s.apiKeys.create(req.params.org_id, req.body),
  );
  app.get('/v1/admin/orgs/:org_id/api-keys', { schema: { tags, params: OrgIdParams, response: { 200: z.array(ApiKey) } } }, (req) =>
    s.apiKeys.list(req.params.org_id),
  );
  app.delete(
    '/v1/admin/orgs/:org_id/api-keys/:key_id',
    { schema: { tags, params: ApiKeyParams, response: { 200: z.object({ message: z.string() }) } } },
    (req) => s.apiKeys.revoke(req.params.org_id, req.params.key_id),
  );
}
