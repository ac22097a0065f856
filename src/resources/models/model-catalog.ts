// The ModelCatalog the API uses, backed by the LLM registry (configured providers and their model lists).
import { buildEmbeddingConfig, buildLlmConfig } from '../../llm/llm-config.js';
import type { LlmRegistry } from '../../llm/registry.js';
import type { EmbeddingConfig, LlmConfig } from '../agents/agents.schemas.js';
import type { ModelCatalog } from './catalog.js';

export function createModelCatalog(registry: LlmRegistry): ModelCatalog {
  return {
    llmConfigFor: (handle) => buildLlmConfig(registry.resolve(handle)) as LlmConfig,
    embeddingConfigFor: (handle) => buildEmbeddingConfig(registry.resolveEmbedding(handle)) as EmbeddingConfig,
    listModels: async () => (await registry.listModels()) as Record<string, unknown>[],
    listEmbeddingModels: async () => (await registry.listEmbeddingModels()) as Record<string, unknown>[],
  };
}
