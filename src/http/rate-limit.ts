// Request rate limit per API key (per client address without one): 429 with Retry-After and a {"detail"} body.
import rateLimit from '@fastify/rate-limit';
import { TooManyRequestsError } from '../errors.js';
import { authOf } from './auth.js';
import type { App } from './app-type.js';

/** Requests per minute for each key; 0 turns the limit off. Counted in this process's memory. */
export async function registerRateLimit(app: App, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    allowList: (req) => req.method === 'OPTIONS',
    keyGenerator: (req) => {
      const auth = authOf(req);
      if (auth.kind === 'org') return `key:${auth.keyId}`;
      return auth.kind === 'admin' ? 'admin' : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) =>
      new TooManyRequestsError(`Rate limit exceeded: at most ${ctx.max} requests per minute for this API key; retry in ${ctx.after}`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}
