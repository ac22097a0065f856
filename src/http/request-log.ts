// One log line per finished request: method, route pattern, path, status, duration and the acting organization.
// Headers are never logged (the Authorization header holds the key); the query string is left out too.
import type { App } from './app-type.js';

const HEALTH_ROUTES = new Set(['/v1/health/', '/v1/health', '/latest/health', '/latest/health/']);

export function registerRequestLog(app: App): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    const line = {
      method: req.method,
      route: route ?? '(no route)',
      url: req.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(req.auth ? { orgId: req.auth.actor.orgId } : {}),
    };
    // Health checks come every few seconds from orchestrators: only at debug.
    if (route !== undefined && HEALTH_ROUTES.has(route)) req.log.debug(line, 'request');
    else req.log.info(line, 'request');
  });
}
