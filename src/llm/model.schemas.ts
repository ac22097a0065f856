// Wire shapes Letta clients expect for model configs and model listings (snake_case, as on the wire).
import { z } from 'zod';

export const LlmConfig = z.object({
  model: z.string(),
  display_name: z.string().nullish(),
  model_endpoint_type: z.string(),
  model_endpoint: z.string().nullish(),
  provider_name: z.string().nullish(),
  provider_category: z.enum(['base', 'byok']).nullish(),
  model_wrapper: z.string().nullish(),
  context_window: z.number().int(),
  put_inner_thoughts_in_kwargs: z.boolean().nullish(),
  handle: z.string().nullish(),
  temperature: z.number().nullish(),
  max_tokens: z.number().int().nullish(),
  enable_reasoner: z.boolean().nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
  max_reasoning_tokens: z.number().int().nullish(),
  effort: z.string().nullish(),
  frequency_penalty: z.number().nullish(),
  compatibility_type: z.string().nullish(),
  verbosity: z.string().nullish(),
  tier: z.string().nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z.unknown().nullish(),
  strict: z.boolean().nullish(),
  return_logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  return_token_ids: z.boolean().nullish(),
  tool_call_parser: z.string().nullish(),
});
export type LlmConfig = z.infer<typeof LlmConfig>;

export const EmbeddingConfig = z.object({
  embedding_endpoint_type: z.string(),
  embedding_endpoint: z.string().nullish(),
  embedding_model: z.string(),
  embedding_dim: z.number().int(),
  embedding_chunk_size: z.number().int().nullish(),
  handle: z.string().nullish(),
  batch_size: z.number().int().nullish(),
  azure_endpoint: z.string().nullish(),
  azure_version: z.string().nullish(),
  azure_deployment: z.string().nullish(),
});
export type EmbeddingConfig = z.infer<typeof EmbeddingConfig>;

export const Model = LlmConfig.extend({
  name: z.string(),
  handle: z.string(),
  display_name: z.string(),
  provider_type: z.string(),
  provider_name: z.string(),
  model_type: z.literal('llm'),
  max_context_window: z.number().int(),
});
export type Model = z.infer<typeof Model>;

export const EmbeddingModel = EmbeddingConfig.extend({
  name: z.string(),
  handle: z.string(),
  display_name: z.string(),
  provider_type: z.string(),
  provider_name: z.string(),
  model_type: z.literal('embedding'),
});
export type EmbeddingModel = z.infer<typeof EmbeddingModel>;
