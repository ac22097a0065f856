// OpenAI chat-completion response → our ChatResponse, tolerant of what compatible servers leave out.
import type OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { LlmError } from './llm-error.js';
import type { ChatResponse, FinishReason, ReasoningPart, ToolCall, Usage } from './types.js';

/** Some servers omit tool-call ids; the loop needs one to pair results with calls. */
export const newToolCallId = (): string => `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;

export function mapFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls && (reason === 'tool_calls' || reason === 'function_call' || reason === 'stop' || !reason)) return 'tool_calls';
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content_filter';
  if (reason === 'tool_calls') return 'tool_calls';
  return reason ? 'other' : 'stop';
}

export function mapOpenAiUsage(u: OpenAI.CompletionUsage | null | undefined): Usage {
  const prompt = u?.prompt_tokens ?? 0;
  const completion = u?.completion_tokens ?? 0;
  const usage: Usage = {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: u?.total_tokens ?? prompt + completion,
  };
  const cached = u?.prompt_tokens_details?.cached_tokens;
  if (cached) usage.cachedInputTokens = cached;
  const reasoning = u?.completion_tokens_details?.reasoning_tokens;
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}

/** vLLM/DeepSeek send `reasoning_content`; Ollama and OpenRouter send `reasoning`. */
export function reasoningTextOf(obj: unknown): string | undefined {
  const o = obj as { reasoning_content?: unknown; reasoning?: unknown } | null | undefined;
  if (typeof o?.reasoning_content === 'string') return o.reasoning_content;
  if (typeof o?.reasoning === 'string') return o.reasoning;
  return undefined;
}

export function fromOpenAiCompletion(c: OpenAI.Chat.Completions.ChatCompletion, fallbackModel: string): ChatResponse {
  const choice = c?.choices?.[0];
  if (!choice?.message) throw new LlmError('invalid_response', 'LLM response had no choices');
  const msg = choice.message;
  const toolCalls: ToolCall[] = (msg.tool_calls ?? [])
    .filter((t) => t.type === 'function')
    .map((t) => ({ id: t.id || newToolCallId(), name: t.function.name, arguments: t.function.arguments ?? '' }));
  const reasoningText = reasoningTextOf(msg);
  const reasoning: ReasoningPart[] = reasoningText ? [{ text: reasoningText }] : [];
  return {
    text: msg.content ?? '',
    reasoning,
    toolCalls,
    usage: mapOpenAiUsage(c.usage),
    finishReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    model: c.model || fallbackModel,
  };
}
