// Our ChatRequest → Anthropic messages request: system split out, strict user/assistant alternation,
// tool results as user blocks, thinking blocks replayed with their signatures.
import type Anthropic from '@anthropic-ai/sdk';
import type { AssistantMessage, ChatRequest, LlmMessage, ToolChoice, UserContentPart } from './types.js';

// This SDK's types no longer list temperature, but the API still accepts it for models that support it.
type Params = Anthropic.Messages.MessageCreateParamsNonStreaming & { temperature?: number };
type Block = Anthropic.Messages.ContentBlockParam;
type Turn = { role: 'user' | 'assistant'; content: Block[] };

const DEFAULT_MAX_TOKENS = 4096;
const MIN_THINKING_BUDGET = 1024;

function userBlock(part: UserContentPart): Block {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.source.type === 'url') return { type: 'image', source: { type: 'url', url: part.source.url } };
  const mediaType = part.source.mediaType as Anthropic.Messages.Base64ImageSource['media_type'];
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: part.source.data } };
}

function parseInput(args: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(args || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    // Replaying the model's own malformed call must not break the whole request.
    return {};
  }
}

function assistantBlocks(m: AssistantMessage): Block[] {
  const blocks: Block[] = [];
  for (const r of m.reasoning ?? []) {
    if (r.redacted) blocks.push({ type: 'redacted_thinking', data: r.text });
    // Unsigned reasoning came from another provider; Anthropic rejects it, so it is dropped.
    else if (r.signature) blocks.push({ type: 'thinking', thinking: r.text, signature: r.signature });
  }
  if (m.content) blocks.push({ type: 'text', text: m.content });
  for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseInput(c.arguments) });
  return blocks;
}

function toTurn(m: LlmMessage): Turn {
  switch (m.role) {
    case 'system':
      return { role: 'user', content: [{ type: 'text', text: m.content }] };
    case 'user':
      return {
        role: 'user',
        content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map(userBlock),
      };
    case 'tool':
      return { role: 'user', content: [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }] };
    case 'assistant':
      return { role: 'assistant', content: assistantBlocks(m) };
  }
}

/** Anthropic wants tool results before any other block of the user turn that answers a tool_use. */
const toolResultsFirst = (blocks: Block[]): Block[] => [
  ...blocks.filter((b) => b.type === 'tool_result'),
  ...blocks.filter((b) => b.type !== 'tool_result'),
];

function toAnthropicTurns(messages: LlmMessage[]): { system: string; turns: Turn[] } {
  const system: string[] = [];
  let i = 0;
  for (const m of messages) {
    if (m.role !== 'system') break;
    system.push(m.content);
    i++;
  }
  const turns: Turn[] = [];
  for (const m of messages.slice(i)) {
    const turn = toTurn(m);
    const blocks = turn.content.filter((b) => b.type !== 'text' || b.text.length > 0);
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last && last.role === turn.role) last.content.push(...blocks);
    else turns.push({ role: turn.role, content: blocks });
  }
  for (const t of turns) if (t.role === 'user') t.content = toolResultsFirst(t.content);
  // The conversation must open with a user turn.
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: [{ type: 'text', text: '(conversation start)' }] });
  return { system: system.join('\n\n'), turns };
}

function toolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Params['tool_choice'] {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disable };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...disable };
  return choice === 'auto' || parallel === false ? { type: 'auto', ...disable } : undefined;
}

export function toAnthropicParams(req: ChatRequest): Params {
  const { system, turns } = toAnthropicTurns(req.messages);
  const params: Params = { model: req.model, max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, messages: turns };
  if (system) params.system = system;
  if (req.tools?.length) {
    params.tools = req.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: { type: 'object', ...t.parameters } as Anthropic.Messages.Tool.InputSchema,
    }));
    const choice = toolChoice(req.toolChoice, req.parallelToolCalls);
    if (choice) params.tool_choice = choice;
  }
  if (req.reasoning?.enabled) {
    const budget = Math.max(MIN_THINKING_BUDGET, req.reasoning.budgetTokens ?? MIN_THINKING_BUDGET);
    params.thinking = { type: 'enabled', budget_tokens: budget };
    // The budget must fit inside max_tokens; temperature is fixed at 1 while thinking.
    if (params.max_tokens <= budget) params.max_tokens = budget + DEFAULT_MAX_TOKENS;
  } else if (req.temperature !== undefined) {
    params.temperature = req.temperature;
  }
  return params;
}
