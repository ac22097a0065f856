// Admin API: organizations. Only the instance admin key (MNEMO_API_KEY) reaches these (src/http/auth.ts).
import { z } from 'zod';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { CreateOrganization, Organization, OrgIdParams, UpdateOrganization } from './organizations.schemas.js';

const tags = ['admin'];
const Deleted = z.object({ message: z.string() });

export function registerOrganizationRoutes(app: App, s: Services): void {
  app.post('/v1/admin/orgs/', { schema: { tags, body: CreateOrganization, response: { 200: Organization } } }, (req) =>
    s.organizations.create(req.body),
  );
  app.get('/v1/admin/orgs/', { schema: { tags, response: { 200: z.array(Organization) } } }, () => s.organizations.list());
  app.get('/v1/admin/orgs/:org_id', { schema: { tags, params: OrgIdParams, response: { 200: Organization } } }, (req) =>
    s.organizations.get(req.params.org_id),
  );
  app.patch(
    '/v1/admin/orgs/:org_id',
    { schema: { tags, params: OrgIdParams, body: UpdateOrganization, response: { 200: Organization } } },
    (req) => s.organizations.update(req.params.org_id, req.body ?? {}),
  );
  app.delete('/v1/admin/orgs/:org_id', { schema: { tags, params: OrgIdParams, response: { 200: Deleted } } }, (req) =>
    s.organizations.delete(req.params.org_id),
  );
}
