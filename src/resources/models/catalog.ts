// Turns model handles ('provider/model') into Letta's llm_config / embedding_config, and lists models.
import type { EmbeddingConfig, LlmConfig } from '../agents/agents.schemas.js';
import type { EmbeddingModel, Model } from '../../llm/model.schemas.js';

export type ModelCatalog = {
  /** Throws BadRequestError for a malformed handle, NotFoundError for an unknown provider. */
  llmConfigFor(handle: string): LlmConfig;
  embeddingConfigFor(handle: string): EmbeddingConfig;
  /** Models of the providers that answer: the operator's, then the organization's own (BYOK). */
  listModels(orgId: string): Promise<Model[]>;
  listEmbeddingModels(orgId: string): Promise<EmbeddingModel[]>;
  /** 404 naming the handle when its provider lists its models and this one is not among them. */
  assertOffered(orgId: string, handle: string): Promise<void>;
};
