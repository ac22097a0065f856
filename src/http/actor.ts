// The acting organization for a request: the one its API key belongs to (src/http/auth.ts), else the default one.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_ACTOR, type Actor } from '../actor.js';

export function actorOf(req: FastifyRequest): Actor {
  return req.auth?.actor ?? DEFAULT_ACTOR;
}
