// Anthropic message → our ChatResponse (shared by the non-streaming call and the stream assembler).
import type Anthropic from '@anthropic-ai/sdk';
import { LlmError } from './llm-error.js';
import type { ChatResponse, FinishReason, ReasoningPart, ToolCall, Usage } from './types.js';

export function mapStopReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'tool_use' || (hasToolCalls && reason !== 'max_tokens')) return 'tool_calls';
  if (reason === 'end_turn' || reason === 'stop_sequence' || !reason) return 'stop';
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'refusal') return 'content_filter';
  return 'other';
}

type RawUsage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
};

/** Anthropic's input_tokens excludes cached tokens; our promptTokens is the whole prompt. */
export function mapAnthropicUsage(u: RawUsage | undefined): Usage {
  const cacheRead = u?.cache_read_input_tokens ?? 0;
  const cacheWrite = u?.cache_creation_input_tokens ?? 0;
  const prompt = (u?.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completion = u?.output_tokens ?? 0;
  const usage: Usage = { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
  if (cacheRead) usage.cachedInputTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteTokens = cacheWrite;
  return usage;
}

export function fromAnthropicMessage(msg: Anthropic.Messages.Message, fallbackModel: string): ChatResponse {
  if (!msg || !Array.isArray(msg.content)) throw new LlmError('invalid_response', 'LLM response had no content');
  let text = '';
  const reasoning: ReasoningPart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of msg.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning.push({ text: block.thinking, signature: block.signature });
    else if (block.type === 'redacted_thinking') reasoning.push({ text: block.data, redacted: true });
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
  }
  return {
    text,
    reasoning,
    toolCalls,
    usage: mapAnthropicUsage(msg.usage),
    finishReason: mapStopReason(msg.stop_reason, toolCalls.length > 0),
    model: msg.model || fallbackModel,
  };
}
