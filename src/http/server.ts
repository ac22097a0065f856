// Fastify instance: zod type provider, OpenAPI, auth, one error handler, Letta-style 404s.
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { App } from './app-type.js';
import { registerAuth, type AuthOptions } from './auth.js';
import { frameworkErrorReply, registerErrorHandlers } from './errors.js';
import { registerHostileTextGuard, registerJsonParser, registerLoopbackHostGuard } from './inbound-guards.js';
import { documentOperations } from './openapi-docs.js';
import { registerRateLimit } from './rate-limit.js';
import { registerRequestLog } from './request-log.js';

export type ServerOptions = {
  logger: Logger;
  auth: AuthOptions;
  /** Requests per minute per API key; 0 = no limit. */
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  version: string;
  /** Browser origins allowed by CORS (exact matches); none turns CORS off. */
  corsOrigins: readonly string[];
  /** Answer only loopback Host headers (DNS-rebinding guard); on when no API key is configured. */
  loopbackHostsOnly: boolean;
};

export async function createServer(opts: ServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    frameworkErrors: frameworkErrorReply,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerJsonParser(app);
  registerErrorHandlers(app);
  registerRequestLog(app);
  if (opts.loopbackHostsOnly) registerLoopbackHostGuard(app);
  registerHostileTextGuard(app);

  // Off unless origins are listed: never reflect an arbitrary Origin. No credentials: the API key is a bearer header,
  // which CORS lets through without cookies.
  if (opts.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...opts.corsOrigins],
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
  }
  await app.register(multipart, { limits: { fileSize: opts.bodyLimitBytes, files: 1 } });
  // After CORS, so a 401 still carries its headers; before any route, so the rate limit's onRoute hook sees them all.
  // Authentication is a global onRequest hook; the rate limit's per-route hook runs after it and counts per key.
  registerAuth(app, opts.auth);
  await registerRateLimit(app, opts.rateLimitPerMinute);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Mnemo', version: opts.version, description: 'Letta-compatible stateful agents server' },
    },
    transform: jsonSchemaTransform,
    transformObject: (d) => ('openapiObject' in d ? documentOperations(d.openapiObject) : d.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
