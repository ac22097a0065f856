// The acting user for a request. One default organization until multi-tenancy arrives.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_ACTOR, type Actor } from '../actor.js';

export function actorOf(_req: FastifyRequest): Actor {
  return DEFAULT_ACTOR;
}
