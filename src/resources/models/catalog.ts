// Turns model handles ('provider/model') into Letta's llm_config / embedding_config, and lists models.
import type { EmbeddingConfig, LlmConfig } from '../agents/agents.schemas.js';

export type ModelCatalog = {
  /** Throws BadRequestError for a malformed handle, NotFoundError for an unknown provider. */
  llmConfigFor(handle: string): LlmConfig;
  embeddingConfigFor(handle: string): EmbeddingConfig;
  listModels(): Promise<Record<string, unknown>[]>;
  listEmbeddingModels(): Promise<Record<string, unknown>[]>;
};
