// Our ChatRequest → OpenAI chat-completions request body (also what Ollama, vLLM, LM Studio, llama.cpp accept).
import type OpenAI from 'openai';
import type { ChatRequest, LlmMessage, ToolChoice, UserContentPart } from './types.js';

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type WirePart = OpenAI.Chat.Completions.ChatCompletionContentPart;

export type OpenAiDialect = {
  /** Official OpenAI wants max_completion_tokens; many compatible servers only know max_tokens. */
  useMaxCompletionTokens: boolean;
};

function userPart(part: UserContentPart): WirePart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const url = part.source.type === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
  return { type: 'image_url', image_url: { url } };
}

function toOpenAiMessage(m: LlmMessage): WireMessage {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: m.content };
    case 'user':
      return { role: 'user', content: typeof m.content === 'string' ? m.content : m.content.map(userPart) };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    case 'assistant': {
      // Reasoning parts are not replayed: chat completions has no field for them.
      const calls = m.toolCalls ?? [];
      return {
        role: 'assistant',
        content: m.content && m.content.length > 0 ? m.content : calls.length > 0 ? null : '',
        ...(calls.length > 0 && {
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: 'function' as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        }),
      };
    }
  }
}

function toolChoice(choice: ToolChoice): Params['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

export function toOpenAiParams(req: ChatRequest, dialect: OpenAiDialect): Params {
  const hasTools = (req.tools?.length ?? 0) > 0;
  const params: Params = { model: req.model, messages: req.messages.map(toOpenAiMessage) };
  if (hasTools) {
    params.tools = req.tools!.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    if (req.toolChoice !== undefined) params.tool_choice = toolChoice(req.toolChoice);
    // OpenAI rejects parallel_tool_calls when no tools are sent.
    if (req.parallelToolCalls !== undefined) params.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.maxTokens !== undefined) {
    if (dialect.useMaxCompletionTokens) params.max_completion_tokens = req.maxTokens;
    else params.max_tokens = req.maxTokens;
  }
  if (req.reasoning?.enabled && req.reasoning.effort && req.reasoning.effort !== 'max') {
    params.reasoning_effort = req.reasoning.effort as Params['reasoning_effort'];
  }
  return params;
}
