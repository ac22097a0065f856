// Builds the stored message rows one step produces (user input, assistant reply/tool calls, tool returns,
// heartbeats, approval requests) as Letta stores them.
import { newId } from '../../ids.js';
import type { ChatResponse, ReasoningPart, ToolCall } from '../../llm/types.js';
import { pyJson } from '../../tools/tool.js';
import { formatLettaTime } from '../../tools/builtin/time-format.js';
import type { ContentPart, InputMessage } from './types.js';
import type { MessageInsert } from '../../db/rows.js';

export type RowBase = {
  organizationId: string;
  agentId: string;
  conversationId?: string | null;
  runId: string;
  stepId?: string | null;
  model?: string | null;
};
export type StoredToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
export type StoredToolReturn = {
  tool_call_id: string;
  name: string;
  status: 'success' | 'error';
  func_response: string;
  stdout: string[] | null;
  stderr: string[] | null;
};

const partText = (p: ContentPart) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '');

export function inputRow(base: RowBase, m: InputMessage): MessageInsert {
  const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
  return {
    ...base,
    id: newId('message'),
    role: m.role,
    content,
    text: content.map(partText).filter(Boolean).join('\n'),
    name: m.name ?? null,
    otid: m.otid ?? null,
    senderId: m.sender_id ?? null,
  };
}

function reasoningParts(parts: ReasoningPart[]): ContentPart[] {
  return parts.map((r) =>
    r.redacted
      ? { type: 'redacted_reasoning', data: r.text }
      : { type: 'reasoning', is_native: true, reasoning: r.text, ...(r.signature ? { signature: r.signature } : {}) },
  );
}

export const toStoredCall = (c: ToolCall): StoredToolCall => ({
  id: c.id,
  type: 'function',
  function: { name: c.name, arguments: c.arguments },
});

/** The model's reply: reasoning + text parts, plus every tool call of the response (args possibly rewritten). */
export function assistantRow(
  base: RowBase,
  res: ChatResponse,
  calls: StoredToolCall[],
  role: 'assistant' | 'approval' = 'assistant',
  id = newId('message'),
): MessageInsert {
  const content = [...reasoningParts(res.reasoning), ...(res.text ? [{ type: 'text', text: res.text }] : [])];
  const callText = calls.map((c) => `${c.function.name}(${c.function.arguments})`).join('\n');
  return {
    ...base,
    id,
    role,
    content,
    text: [res.text, callText].filter(Boolean).join('\n'),
    toolCalls: calls.length ? calls : null,
  };
}

/** One tool message per step holding every return (Letta's parallel layout). */
export function toolRow(base: RowBase, returns: StoredToolReturn[]): MessageInsert {
  return {
    ...base,
    id: newId('message'),
    role: 'tool',
    content: returns.map((r) => ({ type: 'text', text: r.func_response })),
    text: returns.map((r) => r.func_response).join('\n'),
    name: returns[0]?.name ?? null,
    toolCallId: returns[0]?.tool_call_id ?? null,
    toolReturns: returns,
    isErr: returns.some((r) => r.status === 'error') ? true : null,
  };
}

/** Hidden user message that hands control back to a heartbeat-loop agent (or nags about required tools). */
export function heartbeatRow(base: RowBase, reason: string, now: Date, timezone: string): MessageInsert {
  const text = pyJson({ type: 'heartbeat', reason, time: formatLettaTime(now, timezone) });
  return { ...base, id: newId('message'), role: 'user', content: [{ type: 'text', text }], text };
}

export const HEARTBEAT_OK =
  '[This is an automated system message hidden from the user] Function called using request_heartbeat=true, returning control';
export const HEARTBEAT_FAILED = '[This is an automated system message hidden from the user] Function call failed, returning control';
export const requiredToolsReason = (names: string[]) =>
  `[This is an automated system message hidden from the user] ToolRuleViolated: You must call ${names.join(', ')} at least once to exit the loop.`;
