// Every error leaves as {"detail": …} with the right status; a 500 only for our own bugs, a 503 when the database is away.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError } from '../errors.js';
import { safeDetail, safeDetailText } from '../text/safe-detail.js';
import type { App } from './app-type.js';

type FastifyishError = Error & { statusCode?: number; code?: string; validation?: unknown };

export const DATABASE_UNAVAILABLE = 'The database is unavailable; retry shortly';

export function registerErrorHandlers(app: App): void {
  app.setErrorHandler((err: FastifyishError, req, reply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).send({ detail: safeDetail(err.detail, err.message) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(422).send({ detail: safeDetailText(describeValidation(err.validation, err.validationContext)) });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, cause: err.cause }, 'response did not match its schema');
      return reply.code(500).header('x-should-retry', 'false').send({ detail: 'An unknown error occurred' });
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply.code(503).header('retry-after', '1').send({ detail: DATABASE_UNAVAILABLE });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: safeDetailText(clientMessage(err)) });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ detail: 'An unknown error occurred' });
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    const cloudOnly = /^\/v1\/(templates|client-side-access-tokens|environments)(\/|$)|^\/v1\/agents\/[^/]+\/schedule/.test(path);
    const detail = cloudOnly
      ? `${path} is a Letta Cloud feature and is not available on a self-hosted Mnemo server`
      : `Not found: ${req.method} ${path}`;
    return reply.code(404).send({ detail: safeDetailText(detail) });
  });
}

/** Errors the router raises before any route runs (Fastify's `frameworkErrors`): the same {"detail"} shape. */
export function frameworkErrorReply(err: FastifyishError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send({ detail: 'A path parameter is too long (at most 500 characters)' });
    return;
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply.code(400).send({ detail: 'The request URL is malformed' });
    return;
  }
  void reply.code(err.statusCode && err.statusCode < 500 ? err.statusCode : 400).send({ detail: 'Bad request' });
}

type Issue = { instancePath?: string; message?: string; params?: { issue?: { path?: PropertyKey[] } } };

function describeValidation(validation: unknown, context: string | undefined): string {
  const where = context ?? 'request';
  const issues = (validation as Issue[]).map((v) => {
    const path = v.params?.issue?.path?.map(String).join('.') || v.instancePath?.replace(/^\//, '').replaceAll('/', '.');
    return path ? `${where}.${path}: ${v.message}` : `${where}: ${v.message}`;
  });
  return `Invalid request: ${issues.join('; ')}`;
}

function clientMessage(err: FastifyishError): string {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'Request body is too large';
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return `Unsupported content type: ${err.message}`;
  return err.message;
}
