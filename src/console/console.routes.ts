// The web console: GET / is its page, GET /console/<file> its scripts and styles. Same origin as the API, no hosted
// assets, and a Content-Security-Policy that allows only this server's own scripts, styles and API.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { loadConsoleAssets, type ConsoleAsset } from './console-assets.js';
import type { App } from '../http/app-type.js';

const CONSOLE_PREFIX = '/console/';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Whether a path is the console's (open without an API key: the page holds no data, the API calls carry the key). */
export function isConsolePath(path: string): boolean {
  return path === '/' || path.startsWith(CONSOLE_PREFIX);
}

const FileParams = z.object({ '*': z.string().max(200) });

function send(reply: FastifyReply, asset: ConsoleAsset, ifNoneMatch: string | undefined) {
  // no-cache = revalidate every time: the files carry no version in their names, and an ETag makes the check cheap.
  reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .header('etag', asset.etag);
  if (ifNoneMatch === asset.etag) return reply.code(304).send();
  return reply.type(asset.type).send(asset.body);
}

export function registerConsoleRoutes(app: App, assets = loadConsoleAssets()): void {
  const page = assets.get('index.html');
  if (!page) throw new Error('console: index.html is missing from src/console/public');
  app.get('/', { schema: { hide: true } }, (req, reply) => send(reply, page, req.headers['if-none-match']));
  app.get(`${CONSOLE_PREFIX}*`, { schema: { hide: true, params: FileParams } }, (req, reply) => {
    const asset = assets.get(req.params['*']);
    if (!asset) return reply.code(404).send({ detail: `Not found: GET ${CONSOLE_PREFIX}${req.params['*']}` });
    return send(reply, asset, req.headers['if-none-match']);
  });
}
