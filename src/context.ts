// Composition root: builds the database, logger, providers and services. Nothing else wires things.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { DbHandle } from './db/client.js';
import { openDatabase } from './startup/open-database.js';
import type { StartupClock } from './startup/startup-clock.js';
import { createLogger } from './logger.js';
import { runMigrations } from './db/migrate.js';
import { startAutoAnalyze } from './db/auto-analyze.js';
import { postgresSocketDirs } from './db/socket-dirs.js';
import { createLlmRegistry, type ProviderStatus } from './llm/registry.js';
import { createModelLists } from './llm/model-lists.js';
import { createEmbedderResolver } from './memory/embedding.js';
import { createMemoryAccessFactory } from './memory/memory-access.js';
import { createReembedHandler, REEMBED_QUEUE } from './memory/reembed-job.js';
import { createArchivesService } from './resources/archives/archives.service.js';
import { createPassagesService } from './resources/passages/passages.service.js';
import { createAgentsService } from './resources/agents/agents.service.js';
import { createAgentFilesService } from './resources/agent-files/agent-file.service.js';
import { createConversationsService } from './resources/conversations/conversations.service.js';
import { createTagsService } from './resources/tags/tags.service.js';
import { VERSION } from './version.js';
import { createBlocksService } from './resources/blocks/blocks.service.js';
import { createModelCatalog } from './resources/models/model-catalog.js';
import type { Services } from './services.js';
import { seedBuiltinToolsForAllOrgs } from './resources/tools/tool-seed.js';
import { createMcpManager, type McpManager } from './mcp/manager.js';
import { createMcpServersService } from './resources/mcp-servers/mcp-servers.service.js';
import { mcpServerLookup } from './resources/mcp-servers/mcp-tools.js';
import { createToolRunService } from './resources/tools/tool-run.service.js';
import { createToolsService } from './resources/tools/tools.service.js';
import { createToolExecutor, type ToolExecutor } from './tools/executor.js';
import type { LoopDeps } from './agent/loop/types.js';
import { createTurnStore } from './agent/turn-store/turn-store.js';
import { createLiveTurns } from './turns/live-turns.js';
import { createPrimaryGate } from './sleeptime/primary-gate.js';
import { compact } from './agent/compaction/compactor.js';
import { createContextWindowService } from './resources/context-window/context-window.service.js';
import { memoryBackendsFrom } from './agent/loop/memory-backends.js';
import { createMessagesService } from './resources/messages/messages.service.js';
import { createRunsService } from './resources/runs/runs.service.js';
import { createMultiAgent } from './multi-agent/multi-agent.wiring.js';
import { createGuardedFetch } from './net/guarded-fetch.js';
import { createOutboundPolicy } from './net/outbound-policy.js';
import { cacheSizes, type CacheSize } from './cache-sizes.js';
import { createOrganizationsService } from './resources/organizations/organizations.service.js';
import { createApiKeysService } from './resources/api-keys/api-keys.service.js';
import { createQuotas } from './resources/organizations/quotas.js';
import { createWebAccess } from './tools/web/web-access.js';
import { createOrgModels } from './llm/org-models.js';
import { createProvidersService } from './resources/providers/providers.service.js';
import { createGenerateService } from './resources/generate/generate.service.js';
import { createMemfsService } from './memfs/memfs.service.js';
import { createGitHttp, gitInstalled } from './memfs/git-http.js';
import { createFoldersService } from './resources/folders/folders.service.js';
import { createAgentFoldersService } from './resources/folders/agent-folders.service.js';
import { createFileProcessHandler, FILE_PROCESS_QUEUE } from './resources/folders/file-process.job.js';
import { withFileTools } from './resources/folders/file-tools.js';
import { createDocSleeptime } from './sleeptime/doc-sleeptime.js';

export type AppContext = {
  config: Config;
  log: Logger;
  dbh: DbHandle;
  services: Services;
  /** Runs custom and MCP tools; the agent loop gets `toolExecutor.executeForLoop` as executeExternalTool. */
  toolExecutor: ToolExecutor;
  mcp: McpManager;
  /** Process-wide caches and registries with their bounds (src/cache-sizes.ts); for tests, not served over HTTP. */
  cacheSizes(): Record<string, CacheSize>;
  /** The configured providers and whether they answer (for the start-up banner). */
  providerStatus(): Promise<ProviderStatus[]>;
  close(): Promise<void>;
};

/** How often the embedded database looks for tables whose planner statistics are stale (src/db/auto-analyze.ts). */
const AUTO_ANALYZE_EVERY_MS = 10_000;

export type ContextOverrides = { dbh?: DbHandle; log?: Logger; clock?: StartupClock };

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const dbh = overrides.dbh ?? (await openDatabase(config, log));
  overrides.clock?.mark('database');
  await runMigrations(dbh, log);
  overrides.clock?.mark('migrations');
  // Every organization gets the built-in tools (a release may add some), not only the default one.
  await seedBuiltinToolsForAllOrgs(dbh.db);
  overrides.clock?.mark('builtin tools');
  const db = dbh.db;
  // Providers' model lists: probed with a short timeout, cached, refreshed in the background (src/llm/model-lists.ts).
  const modelLists = createModelLists({ ...config.modelLists, log });
  const registry = createLlmRegistry(
    { openai: config.openai, anthropic: config.anthropic, ollama: config.ollama },
    { deadlineMs: config.llmTimeoutMs, modelLists, log },
  );
  const memoryDeps = { db, embedderFor: createEmbedderResolver(registry) };
  // Every request made for a caller (MCP server_url, callback_url) goes through this policy and its fetch.
  const outbound = createOutboundPolicy(config.outboundAllow);
  const outboundFetch = createGuardedFetch(outbound);
  const stdio = { allowed: config.allowMcpStdio, baseEnv: config.mcpStdioBaseEnv, runAs: config.mcpStdioUser };
  const launch = { stdio, outbound, fetch: outboundFetch };
  const mcp = createMcpManager({ logger: log, connectTimeoutMs: 15_000, callTimeoutMs: 60_000, maxResultChars: 100_000, launch });
  // Python tools never see the embedded data folder nor reach PostgreSQL's sockets.
  const confine = { secretDirs: [config.dataDir], socketDirs: postgresSocketDirs(config.databaseUrl) };
  const toolExecutor = createToolExecutor({ mcp, mcpServerConfig: mcpServerLookup(db), log, sandboxOpts: { confine } });
  const memory = createMemoryAccessFactory(memoryDeps, log);
  // On Postgres a turn's statements commit without waiting for the WAL flush except the last one, which flushes them
  // all before the reply (MNEMO_STRICT_COMMITS=1 waits at every statement; streamed turns always do).
  const relaxedCommits = dbh.kind === 'postgres' && !config.strictCommits;
  // fetch_webpage goes through the outbound policy; web_search to the operator's backend.
  const web = createWebAccess({ guardedFetch: outboundFetch, search: config.webSearch });
  // BYOK providers: keys sealed with MNEMO_SECRET_KEY, every request through the outbound policy; handles of an
  // organization resolve to the operator's providers first, then to its own.
  const byokClient = { deadlineMs: config.llmTimeoutMs, fetch: outboundFetch, log };
  const providers = createProvidersService({
    db,
    secretKey: config.secretKey,
    outbound,
    client: byokClient,
    reservedNames: () => ['openai', 'anthropic', 'ollama', 'letta'],
  });
  const orgModels = createOrgModels({ registry, lookup: providers.lookup, list: providers.listOpened, client: byokClient, modelLists });
  const models = createModelCatalog(registry, orgModels);
  // Primary turns enter this gate (HTTP requests and async-run jobs); sleep-time companions wait at it.
  const primaryGate = createPrimaryGate();
  // Multi-agent comes first: the loop deps carry its hooks; it reads the loop deps and the job queue when it runs.
  // Git-backed memory: block edits (API, agent, push) become commits of the agent's repository as they are stored.
  const memfs = createMemfsService({ db, limits: { maxFiles: 2_000, maxFileBytes: 4 * 1024 * 1024 }, log });
  const agentsService = createAgentsService({
    db,
    blocksMoved: (actor, agentId) => memfs.commitEdit(actor, { agentId }, 'the API'),
    models,
    orgModels: orgModels.resolve,
    defaultModel: config.defaultModel,
    defaultEmbedding: config.defaultEmbedding,
  });
  const multiAgent = createMultiAgent({ db, log, loop: () => loop, jobs: () => live.jobs, gate: primaryGate, agents: agentsService });
  const loop: LoopDeps = {
    db,
    memoryEdited: (actor, agentId, blockIds) => memfs.commitEdit(actor, { agentId, blockIds }, 'the agent'),
    store: createTurnStore(db),
    relaxedCommits,
    registry,
    orgModels: orgModels.resolve,
    log,
    web,
    executeExternalTool: withFileTools(memoryDeps, toolExecutor.executeForLoop),
    memory: memoryBackendsFrom(memory),
    compact: (a) => compact({ db, registry, ...a }),
    limits: { replyChars: config.maxReplyChars, toolReturnChars: config.maxToolReturnChars },
    ...multiAgent.loopHooks,
  };
  const callbacks = { fetch: outboundFetch, timeoutMs: config.callbackTimeoutMs };
  const live = createLiveTurns({ db, log, loop, workers: config.workers, singleProcess: dbh.kind === 'pglite', primaryGate, callbacks });
  live.jobs.register(REEMBED_QUEUE, createReembedHandler(memoryDeps));
  multiAgent.registerJobs(live.jobs);
  const docSleeptime = createDocSleeptime({ db, agents: multiAgent.agents, runTurn: multiAgent.runTurn, log });
  live.jobs.register(FILE_PROCESS_QUEUE, createFileProcessHandler({ ...memoryDeps, onProcessed: docSleeptime }));
  const conversations = createConversationsService({ loop, updateAgent: (actor, id, patch) => multiAgent.agents.update(actor, id, patch) });
  const messages = createMessagesService({ loop });
  const quotas = createQuotas({ db });
  const apiKeys = createApiKeysService({ db });
  const git = config.gitMemory;
  if (git.enabled && !gitInstalled()) log.warn('git-backed memory is off: git is not installed (apt-get install git)');
  const gitHttp =
    git.enabled && gitInstalled()
      ? await createGitHttp(memfs, {
          cacheDir: git.cacheDir,
          timeoutMs: 120_000,
          maxResponseBytes: 256 * 1024 * 1024,
          maxObjects: 20_000,
          maxUnpackedBytes: 8 * git.maxPushBytes,
          log,
        })
      : undefined;
  const services: Services = {
    tags: createTagsService({ db }),
    turns: live.turns,
    messages,
    runs: createRunsService({ db, messages }),
    models,
    blocks: createBlocksService({ db, afterEdit: (actor, blockId) => memfs.commitEdit(actor, { blockIds: [blockId] }, 'the API') }),
    agentFiles: createAgentFilesService({
      db,
      models,
      defaultModel: config.defaultModel,
      defaultEmbedding: config.defaultEmbedding,
      revisionId: `mnemo-${VERSION}`,
      log,
    }),
    conversations: conversations,
    archives: createArchivesService({ ...memoryDeps, models, defaultEmbedding: config.defaultEmbedding, jobs: live.jobs }),
    passages: createPassagesService(memoryDeps),
    memory,
    agents: multiAgent.agents,
    identities: multiAgent.identities,
    groups: multiAgent.groups,
    groupChat: multiAgent.groupChat,
    primaryGate: multiAgent.primaryGate,
    contextWindow: createContextWindowService({ loop }),
    tools: createToolsService({ db }),
    mcpServers: createMcpServersService({ db, mcp, policy: { allowStdio: config.allowMcpStdio, outbound } }),
    organizations: createOrganizationsService({ db, quotas, apiKeys }),
    quotas,
    apiKeys,
    providers,
    generate: createGenerateService({ db, resolveModel: orgModels.resolve }),
    folders: createFoldersService({
      db,
      models,
      defaultEmbedding: config.defaultEmbedding,
      maxUploadBytes: config.maxUploadBytes,
      jobs: live.jobs,
    }),
    agentFolders: createAgentFoldersService({ db }),
    toolRuns: createToolRunService({ db, executor: toolExecutor, agents: { get: (actor, id) => services.agents.get(actor, id) } }),
    memfs,
    gitHttp,
  };
  await live.start();
  const analyzer = dbh.kind === 'pglite' ? startAutoAnalyze(db, log, AUTO_ANALYZE_EVERY_MS) : undefined;
  overrides.clock?.mark('services');
  return {
    config,
    log,
    dbh,
    services,
    toolExecutor,
    mcp,
    cacheSizes: () => cacheSizes({ runs: live.runs, mcpSessions: mcp.connectionCount, embedders: memoryDeps.embedderFor.cacheSize }),
    providerStatus: () => registry.status(),
    async close() {
      analyzer?.stop();
      await live.stop();
      await mcp.closeAll();
      await gitHttp?.close();
      await dbh.close();
    },
  };
}
