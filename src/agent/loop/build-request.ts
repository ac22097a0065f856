// Phase 3: the provider request — stored messages → LlmMessage[], allowed tools, forced tool choice.
import type { LlmConfig } from '../../llm/model.schemas.js';
import type { ChatRequest, LlmMessage, LlmTool, ReasoningPart, ToolChoice, UserContentPart } from '../../llm/types.js';
import { renderToolSchemas } from '../compile-context.js';
import { toolView } from '../system-message.js';
import type { ToolRuleSolver } from '../tool-rules.js';
import { HEARTBEAT_AGENT_TYPES } from '../types.js';
import type { StoredToolCall, StoredToolReturn } from './message-rows.js';
import type { TurnState } from '../turn-types.js';
import type { MessageRow } from '../../db/rows.js';

type Part = { type: string; [k: string]: unknown };
const parts = (m: MessageRow) => (m.content ?? []) as Part[];
const textOf = (m: MessageRow) =>
  parts(m)
    .filter((p) => p.type === 'text')
    .map((p) => String(p.text ?? ''))
    .join('\n');

function userContent(m: MessageRow): string | UserContentPart[] {
  const ps = parts(m);
  if (!ps.some((p) => p.type === 'image')) return textOf(m);
  return ps.flatMap((p): UserContentPart[] => {
    if (p.type === 'text') return [{ type: 'text', text: String(p.text ?? '') }];
    const src = p.source as { type: string; url?: string; data?: string; media_type?: string } | undefined;
    if (p.type === 'image' && src?.type === 'url' && src.url) return [{ type: 'image', source: { type: 'url', url: src.url } }];
    if (p.type === 'image' && src?.data)
      return [{ type: 'image', source: { type: 'base64', mediaType: src.media_type ?? 'image/png', data: src.data } }];
    return [];
  });
}

function reasoningOf(m: MessageRow): ReasoningPart[] {
  return parts(m).flatMap((p): ReasoningPart[] => {
    if (p.type === 'reasoning') return [{ text: String(p.reasoning ?? ''), ...(p.signature ? { signature: String(p.signature) } : {}) }];
    if (p.type === 'redacted_reasoning') return [{ text: String(p.data ?? ''), redacted: true }];
    return [];
  });
}

function toLlm(m: MessageRow, isLast: boolean): LlmMessage[] {
  switch (m.role) {
    case 'system':
      return [{ role: 'system', content: m.text }];
    case 'user':
      return [{ role: 'user', content: userContent(m) }];
    case 'approval':
    case 'assistant': {
      const calls = (m.toolCalls ?? []) as StoredToolCall[];
      // An approval request nobody answered yet has no tool results; providers reject dangling calls.
      if (m.role === 'approval' && (isLast || calls.length === 0)) return [];
      const text = textOf(m);
      return [
        {
          role: 'assistant',
          ...(text ? { content: text } : {}),
          reasoning: reasoningOf(m),
          ...(calls.length ? { toolCalls: calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) } : {}),
        },
      ];
    }
    case 'tool':
      return ((m.toolReturns ?? []) as StoredToolReturn[]).map((r) => ({
        role: 'tool',
        toolCallId: r.tool_call_id,
        name: r.name,
        content: r.func_response,
      }));
    default:
      return [];
  }
}

export function toLlmMessages(context: MessageRow[], systemText?: string): LlmMessage[] {
  const out = context.flatMap((m, i) => toLlm(m, i === context.length - 1));
  if (systemText !== undefined && out[0]?.role === 'system') out[0] = { role: 'system', content: systemText };
  return out;
}

export function allowedLlmTools(state: TurnState, solver: ToolRuleSolver): LlmTool[] {
  const allowed = new Set(solver.allowedTools());
  const views = state.tools.filter((t) => allowed.has(t.name)).map(toolView);
  const rules = state.agent.toolRules;
  return renderToolSchemas(views, state.agent.agentType, rules).map((t) => ({
    name: t.function.name,
    description: t.function.description ?? '',
    parameters: t.function.parameters,
  }));
}

export function toolChoiceFor(agentType: string, tools: LlmTool[], solver: ToolRuleSolver): ToolChoice | undefined {
  if (tools.length === 0) return undefined;
  const required = solver.mustCallTool() || HEARTBEAT_AGENT_TYPES.has(agentType);
  if (!required) return 'auto';
  return tools.length === 1 ? { name: tools[0]!.name } : 'required';
}

export function buildChatRequest(
  model: string,
  cfg: Pick<LlmConfig, 'temperature' | 'max_tokens' | 'parallel_tool_calls'>,
  messages: LlmMessage[],
  tools: LlmTool[],
  toolChoice: ToolChoice | undefined,
  rulesBeyondApproval: boolean,
): ChatRequest {
  return {
    model,
    messages,
    ...(tools.length ? { tools, toolChoice } : {}),
    ...(cfg.temperature != null ? { temperature: cfg.temperature } : {}),
    ...(cfg.max_tokens ? { maxTokens: cfg.max_tokens } : {}),
    parallelToolCalls: Boolean(cfg.parallel_tool_calls) && !rulesBeyondApproval,
  };
}
