// What the agents service and its helpers are built from.
import type { Db } from '../../db/client.js';
import type { ModelCatalog } from '../models/catalog.js';

export type AgentsDeps = { db: Db; models: ModelCatalog; defaultModel?: string; defaultEmbedding?: string };
