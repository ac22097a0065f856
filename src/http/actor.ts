// The acting user for a request. One default organization until multi-tenancy arrives.
// TEMP (tenancy helper): x-test-org header picks the organization until work/orgs lands with real keys.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_ACTOR, type Actor } from '../actor.js';

export function actorOf(req: FastifyRequest): Actor {
  const org = req.headers['x-test-org'];
  return typeof org === 'string' ? { orgId: org, userId: DEFAULT_ACTOR.userId } : DEFAULT_ACTOR;
}
