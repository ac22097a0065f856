// The ModelCatalog the API uses, backed by the LLM registry (configured providers) and the organization's BYOK
// providers; both lists come from the providers themselves, so an unreachable provider's models are left out.
import { NotFoundError } from '../../errors.js';
import { buildEmbeddingConfig, buildLlmConfig } from '../../llm/llm-config.js';
import type { Model } from '../../llm/model.schemas.js';
import type { LlmRegistry } from '../../llm/registry.js';
import { splitHandle } from '../../llm/registry-types.js';
import type { ModelCatalog } from './catalog.js';

export type OrgModelSource = {
  listModels(orgId: string): Promise<Model[]>;
  offers(orgId: string, handle: string): Promise<boolean | undefined>;
};

class ModelNotOfferedError extends NotFoundError {
  constructor(handle: string) {
    const { providerName, model } = splitHandle(handle);
    super(`Handle ${handle} not found: provider '${providerName}' does not offer a model named '${model}' (see GET /v1/models)`);
  }
}

export function createModelCatalog(registry: LlmRegistry, org?: OrgModelSource): ModelCatalog {
  return {
    llmConfigFor: (handle) => buildLlmConfig(registry.resolve(handle)),
    embeddingConfigFor: (handle) => buildEmbeddingConfig(registry.resolveEmbedding(handle)),
    async listModels(orgId) {
      const [base, own] = await Promise.all([registry.listModels(), org ? org.listModels(orgId) : []]);
      return [...base, ...own];
    },
    listEmbeddingModels: () => registry.listEmbeddingModels(),
    async assertOffered(orgId, handle) {
      const offered = org ? await org.offers(orgId, handle) : await registry.offers(handle);
      if (offered === false) throw new ModelNotOfferedError(handle);
    },
  };
}
