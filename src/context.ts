// Composition root: builds the database, logger, providers and services. Nothing else wires things.
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { openDb, type DbHandle } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { DEFAULT_ORG_ID } from './ids.js';
import { createLlmRegistry } from './llm/registry.js';
import { createAgentsService } from './resources/agents/agents.service.js';
import { createBlocksService } from './resources/blocks/blocks.service.js';
import { createModelCatalog } from './resources/models/model-catalog.js';
import type { Services } from './services.js';
import { seedBuiltinTools } from './tools/seed.js';

export type AppContext = {
  config: Config;
  log: Logger;
  dbh: DbHandle;
  services: Services;
  close(): Promise<void>;
};

export type ContextOverrides = { dbh?: DbHandle; log?: Logger };

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? pino({ level: config.logLevel, base: { service: 'mnemo' } });
  const dbh = overrides.dbh ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await runMigrations(dbh);
  await seedBuiltinTools(dbh.db, DEFAULT_ORG_ID);
  const db = dbh.db;
  const registry = createLlmRegistry({ openai: config.openai, anthropic: config.anthropic, ollama: config.ollama });
  const models = createModelCatalog(registry);
  const services: Services = {
    models,
    blocks: createBlocksService({ db }),
    agents: createAgentsService({ db, models, defaultModel: config.defaultModel, defaultEmbedding: config.defaultEmbedding }),
  };
  return {
    config,
    log,
    dbh,
    services,
    async close() {
      await dbh.close();
    },
  };
}
