// Every error leaves as {"detail": …} with the right status; a 500 only for our own bugs.
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import type { App } from './server.js';

type FastifyishError = Error & { statusCode?: number; code?: string; validation?: unknown };

export function registerErrorHandlers(app: App): void {
  app.setErrorHandler((err: FastifyishError, req, reply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).send({ detail: err.detail ?? err.message });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(422).send({ detail: describeValidation(err.validation, err.validationContext) });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, cause: err.cause }, 'response did not match its schema');
      return reply.code(500).header('x-should-retry', 'false').send({ detail: 'An unknown error occurred' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: clientMessage(err) });
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
    return reply.code(404).send({ detail });
  });
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
