// The set of services the routes call. Built once in context.ts.
import type { AgentsService } from './resources/agents/agents.service.js';
import type { BlocksService } from './resources/blocks/blocks.service.js';
import type { ModelCatalog } from './resources/models/catalog.js';

export type Services = {
  agents: AgentsService;
  blocks: BlocksService;
  models: ModelCatalog;
};
