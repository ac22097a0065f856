// Builds the HTTP app for a context: the server plus every resource's routes.
import type { AppContext } from './context.js';
import type { App } from './http/app-type.js';
import { createServer } from './http/server.js';
import { registerAgentRoutes } from './resources/agents/agents.routes.js';
import { registerAgentFileRoutes } from './resources/agent-files/agent-file.routes.js';
import { registerConversationRoutes } from './resources/conversations/conversations.routes.js';
import { registerBlockRoutes } from './resources/blocks/blocks.routes.js';
import { registerArchiveRoutes } from './resources/archives/archives.routes.js';
import { registerPassageRoutes } from './resources/passages/passages.routes.js';
import { registerHealthRoutes } from './resources/health/health.routes.js';
import { registerModelRoutes } from './resources/models/models.routes.js';
import { registerMcpServerRoutes } from './resources/mcp-servers/mcp-servers.routes.js';
import { registerToolRoutes } from './resources/tools/tools.routes.js';
import { registerTurnRoutes } from './turns/turns.routes.js';
import { registerMessageRoutes } from './resources/messages/messages.routes.js';
import { registerRunRoutes } from './resources/runs/runs.routes.js';
import { registerGroupRoutes } from './resources/groups/groups.routes.js';
import { limitMessageSize } from './http/message-size.js';
import { trackPrimaryRequests } from './http/primary-requests.js';
import { registerIdentityRoutes } from './resources/identities/identities.routes.js';
import { registerContextWindowRoutes } from './resources/context-window/context-window.routes.js';
import { registerTagRoutes } from './resources/tags/tags.routes.js';
import { registerOrganizationRoutes } from './resources/organizations/organizations.routes.js';
import { registerApiKeyRoutes } from './resources/api-keys/api-keys.routes.js';
import { registerFolderRoutes } from './resources/folders/folders.routes.js';
import { registerQuotaChecks } from './http/quotas.js';
import { registerGenerateRoutes } from './resources/generate/generate.routes.js';
import { registerProviderRoutes } from './resources/providers/providers.routes.js';
import { sameSecret } from './resources/api-keys/key-secret.js';
import { VERSION } from './version.js';
import { isConsolePath, registerConsoleRoutes } from './console/console.routes.js';
import { registerGitRoutes } from './memfs/memfs.routes.js';

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = await createServer({
    logger: ctx.log,
    auth: { adminKey: ctx.config.apiKey, lookup: (key) => ctx.services.apiKeys.authenticate(key), sameSecret, isOpenPath: isConsolePath },
    rateLimitPerMinute: ctx.config.rateLimitPerMinute,
    bodyLimitBytes: ctx.config.bodyLimitBytes,
    version: VERSION,
    corsOrigins: ctx.config.corsOrigins,
    loopbackHostsOnly: !ctx.config.apiKey && !ctx.config.allowInsecure,
  });
  const s = ctx.services;
  limitMessageSize(app, ctx.config.maxMessageChars);
  registerQuotaChecks(app, s.quotas);
  trackPrimaryRequests(app, s.primaryGate);
  registerHealthRoutes(app, VERSION);
  registerModelRoutes(app, s);
  registerAgentRoutes(app, s);
  registerAgentFileRoutes(app, s);
  registerConversationRoutes(app, s);
  registerBlockRoutes(app, s);
  registerArchiveRoutes(app, s);
  registerPassageRoutes(app, s);
  registerToolRoutes(app, s);
  registerMcpServerRoutes(app, s);
  registerTurnRoutes(app, s);
  registerMessageRoutes(app, s);
  registerRunRoutes(app, s);
  registerIdentityRoutes(app, s);
  registerGroupRoutes(app, s);
  registerContextWindowRoutes(app, s);
  registerTagRoutes(app, s);
  registerOrganizationRoutes(app, s);
  registerApiKeyRoutes(app, s);
  registerConsoleRoutes(app);
  registerProviderRoutes(app, s);
  registerGenerateRoutes(app, s);
  registerGitRoutes(app, s, ctx.config.gitMemory.maxPushBytes);
  registerFolderRoutes(app, s, ctx.config.maxUploadBytes);
  return app;
}
