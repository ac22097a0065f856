// Builds the HTTP app for a context: the server plus every resource's routes.
import type { AppContext } from './context.js';
import { createServer, type App } from './http/server.js';
import { registerAgentRoutes } from './resources/agents/agents.routes.js';
import { registerBlockRoutes } from './resources/blocks/blocks.routes.js';
import { registerHealthRoutes } from './resources/health/health.routes.js';
import { registerModelRoutes } from './resources/models/models.routes.js';
import { VERSION } from './version.js';

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = await createServer({
    logger: ctx.log,
    apiKey: ctx.config.apiKey,
    bodyLimitBytes: ctx.config.bodyLimitBytes,
    version: VERSION,
  });
  const s = ctx.services;
  registerHealthRoutes(app, VERSION);
  registerModelRoutes(app, s);
  registerAgentRoutes(app, s);
  registerBlockRoutes(app, s);
  return app;
}
