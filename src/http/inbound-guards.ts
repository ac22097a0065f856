// The request boundary's guards: JSON parsing with a depth limit, one hostile-text check for every route's body, query
// and params, and the DNS-rebinding guard of a server that has no API key.
import { BadRequestError, ValidationError } from '../errors.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../text/json-depth.js';
import { findHostileText } from '../text/hostile-text.js';
import { isLoopbackHostHeader } from './loopback-host.js';
import type { App } from './app-type.js';

/** JSON bodies: an empty body is no body (the SDK sends none on attach/detach); nesting is bounded before parsing. */
export function registerJsonParser(app: App): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new BadRequestError(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BadRequestError('Request body is not valid JSON'), undefined);
    }
  });
}

/**
 * NUL bytes and lone surrogates anywhere in a request are refused with a 422 naming the field, on every route at once.
 * Refused rather than stripped: silently changing a caller's text (tool source, an id, a label they will look up
 * later) would store something other than what they sent, and a clear error lets them fix it.
 */
export function registerHostileTextGuard(app: App): void {
  app.addHook('preValidation', async (req) => {
    const problem = findHostileText(req.params, 'params') ?? findHostileText(req.query, 'query') ?? findHostileText(req.body, 'body');
    if (problem) throw new ValidationError(`Invalid request: ${problem}`);
  });
}

/**
 * Without an API key the server answers only requests addressed to a loopback name: a web page that rebinds its own
 * DNS name to 127.0.0.1 still sends its own name as Host, and is refused.
 */
export function registerLoopbackHostGuard(app: App): void {
  app.addHook('onRequest', async (req, reply) => {
    if (isLoopbackHostHeader(req.headers.host)) return;
    return reply.code(421).send({
      detail:
        'Misdirected request: without MNEMO_API_KEY this server only answers requests whose Host header is a loopback name (localhost, 127.0.0.1, [::1]); set MNEMO_API_KEY to serve other host names',
    });
  });
}
