// Vendor-neutral LLM types: what the agent loop sends and receives, whatever the provider.

/** JSON Schema object describing a tool's parameters (passed through to the provider untouched). */
type JsonSchema = Record<string, unknown>;

export type LlmTool = { name: string; description: string; parameters: JsonSchema };

export type ToolChoice = 'auto' | 'required' | 'none' | { name: string };

type TextPart = { type: 'text'; text: string };
type ImagePart =
  | { type: 'image'; source: { type: 'url'; url: string } }
  | { type: 'image'; source: { type: 'base64'; mediaType: string; data: string } };
export type UserContentPart = TextPart | ImagePart;

/**
 * Native model reasoning. `signature` (Anthropic) must be sent back unchanged; a redacted part carries the
 * provider's opaque `data` in `text`.
 */
export type ReasoningPart = { text: string; signature?: string; redacted?: boolean };

export type ToolCall = { id: string; name: string; arguments: string };

type SystemMessage = { role: 'system'; content: string };
type UserMessage = { role: 'user'; content: string | UserContentPart[] };
export type AssistantMessage = {
  role: 'assistant';
  content?: string;
  reasoning?: ReasoningPart[];
  toolCalls?: ToolCall[];
};
type ToolResultMessage = { role: 'tool'; toolCallId: string; name: string; content: string };
export type LlmMessage = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

type ReasoningOptions = {
  enabled: boolean;
  budgetTokens?: number;
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
};

export type ChatRequest = {
  model: string;
  messages: LlmMessage[];
  tools?: LlmTool[];
  toolChoice?: ToolChoice;
  temperature?: number;
  maxTokens?: number;
  parallelToolCalls?: boolean;
  reasoning?: ReasoningOptions;
  signal?: AbortSignal;
};

export type Usage = {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
};

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export type ChatResponse = {
  text: string;
  reasoning: ReasoningPart[];
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: FinishReason;
  model: string;
};

export type StreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  | { type: 'reasoning_signature'; signature: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; argumentsDelta: string }
  | { type: 'done'; response: ChatResponse };

export type ModelInfo = { id: string; displayName?: string; contextWindow?: number };

type ProviderKind = 'openai' | 'anthropic';

export type Provider = {
  name: string;
  kind: ProviderKind;
  chat(req: ChatRequest): Promise<ChatResponse>;
  /** Events end with exactly one `done` carrying the same response `chat` would return. */
  stream(req: ChatRequest): AsyncIterable<StreamEvent>;
  listModels(): Promise<ModelInfo[]>;
};

export const emptyUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
