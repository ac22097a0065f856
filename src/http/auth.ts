// Who sent a request: the instance admin key, an organization's key, or nobody (single-user mode, no key set).
import type { FastifyRequest } from 'fastify';
import { DEFAULT_ACTOR, type Actor } from '../actor.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { App } from './app-type.js';

export type Auth = Readonly<{ kind: 'open' | 'admin' | 'org'; actor: Actor; keyId?: string }>;
type KeyLookup = (key: string) => Promise<{ keyId: string; orgId: string } | undefined>;
export type AuthOptions = {
  /** MNEMO_API_KEY: the instance admin key. Unset → single-user mode: no authentication, no admin API. */
  adminKey?: string;
  /** Finds an organization key's owner (by the key's hash). */
  lookup: KeyLookup;
  /** Constant-time comparison of a presented secret with the admin key. */
  sameSecret: (given: string, expected: string) => boolean;
  /** Further paths answered without a key (the web console's page and files: they carry no data). */
  isOpenPath?: (path: string) => boolean;
};

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Auth;
  }
}

const OPEN_PATHS = new Set(['/v1/health', '/v1/health/', '/latest/health', '/latest/health/', '/openapi.json', '/docs']);
/** The API's description and its viewer hold no data: a browser opens them, then "Authorize" sends the key. */
const isDocsPath = (path: string) => path.startsWith('/docs/');
const OPEN: Auth = Object.freeze({ kind: 'open', actor: DEFAULT_ACTOR });
const ADMIN: Auth = Object.freeze({ kind: 'admin', actor: DEFAULT_ACTOR });

const NO_ADMIN_API = 'The admin API is disabled: it needs MNEMO_API_KEY (the instance admin key) to be set';
const ADMIN_ONLY = 'The admin API needs the instance admin key (MNEMO_API_KEY); an organization key cannot use it';

function isAdminPath(path: string): boolean {
  return path === '/v1/admin' || path.startsWith('/v1/admin/');
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** git sends the key as HTTP Basic credentials (any username, the key as password); only its routes accept them. */
function isGitPath(path: string): boolean {
  return path.startsWith('/v1/git/');
}

function basicPassword(header: string | undefined): string | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

/** git asks its credential helper only after a 401 that names the Basic scheme. */
const GIT_CHALLENGE = { 'www-authenticate': 'Basic realm="Mnemo memory"' };

export function registerAuth(app: App, opts: AuthOptions): void {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0]!;
    if (!opts.adminKey) {
      if (isAdminPath(path)) throw new ForbiddenError(NO_ADMIN_API);
      req.auth = OPEN;
      return;
    }
    if (OPEN_PATHS.has(path) || isDocsPath(path) || opts.isOpenPath?.(path) || req.method === 'OPTIONS') return;
    const git = isGitPath(path);
    const token = bearerToken(req.headers.authorization) ?? (git ? basicPassword(req.headers.authorization) : undefined);
    if (!token) throw new UnauthorizedError('Missing API key: send Authorization: Bearer <key>', git ? GIT_CHALLENGE : {});
    req.auth = await identify(token, opts, git ? GIT_CHALLENGE : {});
    if (isAdminPath(path) && req.auth.kind !== 'admin') throw new ForbiddenError(ADMIN_ONLY);
  });
}

async function identify(token: string, opts: AuthOptions, challenge: Record<string, string>): Promise<Auth> {
  if (opts.sameSecret(token, opts.adminKey!)) return ADMIN;
  const owner = await opts.lookup(token);
  if (!owner) throw new UnauthorizedError('Invalid or revoked API key', challenge);
  return Object.freeze({ kind: 'org', actor: Object.freeze({ orgId: owner.orgId, userId: DEFAULT_ACTOR.userId }), keyId: owner.keyId });
}

export function authOf(req: FastifyRequest): Auth {
  return req.auth ?? OPEN;
}
