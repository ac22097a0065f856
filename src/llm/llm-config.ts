// Builds Letta-shaped llm_config / embedding_config / model-list entries from resolved handles.
import type { EmbeddingConfig, EmbeddingModel, LlmConfig, Model } from './model.schemas.js';
import type { ResolvedEmbedding, ResolvedModel } from './registry-types.js';

export type LlmConfigOverrides = {
  contextWindowLimit?: number;
  temperature?: number;
  maxTokens?: number | null;
  parallelToolCalls?: boolean;
  enableReasoner?: boolean;
  reasoningEffort?: LlmConfig['reasoning_effort'];
  maxReasoningTokens?: number;
};

export function buildLlmConfig(r: ResolvedModel, o: LlmConfigOverrides = {}): LlmConfig {
  const contextWindow = o.contextWindowLimit ? Math.min(o.contextWindowLimit, r.maxContextWindow) : r.contextWindow;
  return {
    model: r.model,
    display_name: r.model,
    model_endpoint_type: r.endpointType,
    model_endpoint: r.endpoint,
    provider_name: r.providerName,
    provider_category: 'base',
    model_wrapper: null,
    context_window: contextWindow,
    put_inner_thoughts_in_kwargs: false,
    handle: r.handle,
    temperature: o.temperature ?? (r.endpointType === 'anthropic' ? 1.0 : 0.7),
    max_tokens: o.maxTokens === undefined ? (r.maxOutputTokens ?? null) : o.maxTokens,
    enable_reasoner: o.enableReasoner ?? true,
    reasoning_effort: o.reasoningEffort ?? null,
    max_reasoning_tokens: o.maxReasoningTokens ?? 0,
    frequency_penalty: null,
    parallel_tool_calls: o.parallelToolCalls ?? false,
    response_format: null,
    strict: false,
  };
}

export function toModelEntry(r: ResolvedModel, displayName?: string): Model {
  const config = buildLlmConfig(r);
  return {
    ...config,
    name: r.model,
    handle: r.handle,
    display_name: displayName ?? r.model,
    provider_type: r.providerType,
    provider_name: r.providerName,
    model_type: 'llm',
    max_context_window: r.maxContextWindow,
  };
}

export function buildEmbeddingConfig(r: ResolvedEmbedding): EmbeddingConfig {
  return {
    embedding_endpoint_type: r.endpointType,
    embedding_endpoint: r.endpoint,
    embedding_model: r.model,
    embedding_dim: r.dim,
    embedding_chunk_size: 300,
    handle: r.handle,
    batch_size: 32,
  };
}

export function toEmbeddingModelEntry(r: ResolvedEmbedding): EmbeddingModel {
  return {
    ...buildEmbeddingConfig(r),
    name: r.model,
    handle: r.handle,
    display_name: r.model,
    provider_type: r.providerType,
    provider_name: r.providerName,
    model_type: 'embedding',
  };
}
