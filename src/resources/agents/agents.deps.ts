// What the agents service and its helpers are built from.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import type { ModelCatalog } from '../models/catalog.js';

export type AgentsDeps = {
  db: Db;
  models: ModelCatalog;
  /** An organization's own (BYOK) model handles (src/llm/org-models.ts). */
  orgModels?: (orgId: string, handle: string) => Promise<ResolvedModel>;
  defaultModel?: string;
  defaultEmbedding?: string;
  /** After a block is attached or detached: the agent's memory repository commits the move (best effort). */
  blocksMoved?: (actor: Actor, agentId: string) => Promise<void>;
};
