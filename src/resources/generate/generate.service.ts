// POST /v1/agents/{id}/generate: one completion with the agent's model (or an override), nothing stored: no
// messages, no run, no memory change. A response_schema forces one tool call whose arguments are the answer.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { notFound, UpstreamError } from '../../errors.js';
import { LlmError } from '../../llm/llm-error.js';
import type { ResolvedModel } from '../../llm/registry-types.js';
import type { ChatRequest, LlmTool } from '../../llm/types.js';
import { findAgent } from '../agents/agents.repo.js';
import type { GenerateRequest, GenerateResponse } from './generate.schemas.js';

export type GenerateDeps = {
  db: Db;
  /** The caller organization's view of model handles (configured providers and its own BYOK providers). */
  resolveModel(orgId: string, handle: string): Promise<ResolvedModel>;
};

const STRUCTURED_TOOL = 'structured_output';
const DEFAULT_SYSTEM = 'You are a helpful assistant.';

function structuredTool(schema: Record<string, unknown>): LlmTool {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? schema.required : Object.keys(properties);
  return {
    name: STRUCTURED_TOOL,
    description: 'Returns the answer in the requested structure.',
    parameters: { type: 'object', properties, required },
  };
}

export function createGenerateService(deps: GenerateDeps) {
  async function generate(actor: Actor, agentId: string, body: GenerateRequest): Promise<GenerateResponse> {
    const agent = await findAgent(deps.db, actor.orgId, agentId);
    if (!agent) throw notFound('Agent', agentId);
    const cfg = agent.llmConfig;
    const model = await deps.resolveModel(actor.orgId, body.override_model ?? cfg.handle ?? `${cfg.model_endpoint_type}/${cfg.model}`);
    const tools = body.response_schema ? [structuredTool(body.response_schema)] : undefined;
    const req: ChatRequest = {
      model: model.model,
      messages: [
        { role: 'system', content: body.system_prompt || DEFAULT_SYSTEM },
        { role: 'user', content: body.prompt },
      ],
      ...(tools ? { tools, toolChoice: { name: STRUCTURED_TOOL } } : {}),
      ...(cfg.temperature != null && !body.override_model ? { temperature: cfg.temperature } : {}),
    };
    let res: Awaited<ReturnType<typeof model.provider.chat>>;
    try {
      res = await model.provider.chat(req);
    } catch (err) {
      if (err instanceof LlmError) throw new UpstreamError(`LLM provider error: ${err.message}`);
      throw err;
    }
    const content = tools ? (res.toolCalls[0]?.arguments ?? res.text) : res.text;
    const u = res.usage;
    return {
      content,
      model: model.model,
      usage: {
        message_type: 'usage_statistics',
        completion_tokens: u.completionTokens,
        prompt_tokens: u.promptTokens,
        total_tokens: u.totalTokens,
        step_count: 1,
        run_ids: null,
        cached_input_tokens: u.cachedInputTokens ?? null,
        cache_write_tokens: u.cacheWriteTokens ?? null,
        reasoning_tokens: u.reasoningTokens ?? null,
      },
    };
  }
  return { generate };
}

export type GenerateService = ReturnType<typeof createGenerateService>;
