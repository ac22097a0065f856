// Resolves an agent's llm_config / embedding_config from a create or update request.
import { BadRequestError } from '../../errors.js';
import { buildLlmConfig } from '../../llm/llm-config.js';
import { UnknownProviderError, type ResolvedModel } from '../../llm/registry-types.js';
import type { ModelCatalog } from '../models/catalog.js';
import type { CreateAgent, EmbeddingConfig, LlmConfig, UpdateAgent } from './agents.schemas.js';

type ModelFields = Pick<
  CreateAgent,
  'model' | 'llm_config' | 'context_window_limit' | 'max_tokens' | 'parallel_tool_calls' | 'model_settings' | 'reasoning'
>;

export function resolveLlmConfig(models: ModelCatalog, req: ModelFields, fallback: LlmConfig | string | undefined): LlmConfig {
  let config: LlmConfig;
  if (req.model) {
    if (!req.model.includes('/')) throw new BadRequestError('The model handle should be in the format provider/model-name');
    config = models.llmConfigFor(req.model);
  } else if (req.llm_config) {
    config = { ...req.llm_config };
  } else if (typeof fallback === 'string') {
    config = models.llmConfigFor(fallback);
  } else if (fallback) {
    config = { ...fallback };
  } else {
    throw new BadRequestError('Must specify either model or llm_config in request (or set MNEMO_DEFAULT_MODEL)');
  }
  return applyOverrides(config, req);
}

function applyOverrides(config: LlmConfig, req: ModelFields): LlmConfig {
  const out: LlmConfig = { ...config };
  if (req.context_window_limit) out.context_window = Math.min(out.context_window, req.context_window_limit);
  if (req.max_tokens != null) out.max_tokens = req.max_tokens;
  if (req.parallel_tool_calls != null) out.parallel_tool_calls = req.parallel_tool_calls;
  if (req.reasoning != null) out.enable_reasoner = req.reasoning;
  const s = req.model_settings ?? {};
  if (typeof s.temperature === 'number') out.temperature = s.temperature;
  if (typeof s.max_output_tokens === 'number') out.max_tokens = s.max_output_tokens;
  if (typeof s.parallel_tool_calls === 'boolean') out.parallel_tool_calls = s.parallel_tool_calls;
  const reasoning = s.reasoning as { reasoning_effort?: string } | undefined;
  if (reasoning?.reasoning_effort) out.reasoning_effort = reasoning.reasoning_effort as LlmConfig['reasoning_effort'];
  const thinking = s.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (thinking?.type === 'enabled') {
    out.enable_reasoner = true;
    if (thinking.budget_tokens) out.max_reasoning_tokens = thinking.budget_tokens;
  }
  return out;
}

export function resolveEmbeddingConfig(
  models: ModelCatalog,
  req: Pick<CreateAgent, 'embedding' | 'embedding_config'>,
  fallback: string | undefined,
): EmbeddingConfig | null {
  if (req.embedding) {
    if (!req.embedding.includes('/')) throw new BadRequestError('The embedding handle should be in the format provider/model-name');
    return models.embeddingConfigFor(req.embedding);
  }
  if (req.embedding_config) return req.embedding_config;
  return fallback ? models.embeddingConfigFor(fallback) : null;
}

export function wantsModelChange(u: UpdateAgent): boolean {
  return Boolean(
    u.model ||
      u.llm_config ||
      u.context_window_limit ||
      u.max_tokens != null ||
      u.parallel_tool_calls != null ||
      u.model_settings ||
      u.reasoning != null,
  );
}

/**
 * The catalog to resolve `handle` with: the operator's, or, when its provider is one of the organization's own
 * (BYOK), the same catalog knowing that one handle too. Unknown everywhere, or not on its provider's model list → 404.
 */
export async function catalogFor(
  deps: { models: ModelCatalog; orgModels?: (orgId: string, handle: string) => Promise<ResolvedModel> },
  orgId: string,
  handle: string | null | undefined,
): Promise<ModelCatalog> {
  if (!handle?.includes('/')) return deps.models;
  // A handle its provider does not list is refused here (404 naming it); an unreachable provider's list is no proof.
  await deps.models.assertOffered(orgId, handle);
  if (!deps.orgModels) return deps.models;
  try {
    deps.models.llmConfigFor(handle);
    return deps.models;
  } catch (err) {
    if (!(err instanceof UnknownProviderError)) return deps.models;
  }
  const config = buildLlmConfig(await deps.orgModels(orgId, handle)) as LlmConfig;
  return { ...deps.models, llmConfigFor: (h) => (h === handle ? { ...config } : deps.models.llmConfigFor(h)) };
}
