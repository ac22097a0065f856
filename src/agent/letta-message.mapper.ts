// Stored messages → the LettaMessage union the API returns. One stored message may expand into several items
// that share its id; each item gets a stable per-part otid derived from the id.
import type { MessageRow } from '../db/rows.js';
import type { StoredToolCall, StoredToolReturn } from './loop/message-rows.js';
import type { LettaMessage } from './loop/types.js';

export type ProjectionOptions = {
  useAssistantMessage?: boolean;
  assistantToolName?: string;
  assistantToolKwarg?: string;
  /** Heartbeat-loop agents: assistant text is inner monologue (reasoning), the reply is send_message. */
  legacy?: boolean;
};

type Part = { type: string; [k: string]: unknown };

/** The message UUID with its low 7 bits replaced by the part index (Letta's rule), so otids survive re-reads. */
export function partOtid(messageId: string, index: number): string {
  const uuid = messageId.replace(/^message-/, '');
  const last = parseInt(uuid.slice(-2), 16);
  if (Number.isNaN(last)) return `${uuid}-${index}`;
  const v = (last & 0x80) | (index & 0x7f);
  return `${uuid.slice(0, -2)}${v.toString(16).padStart(2, '0')}`;
}

const dateOf = (r: MessageRow) => `${r.createdAt.toISOString().slice(0, 19)}Z`;

function common(r: MessageRow, type: string, index: number): LettaMessage {
  return {
    id: r.id,
    date: dateOf(r),
    message_type: type,
    name: r.name ?? null,
    otid: index === 0 && r.otid ? r.otid : partOtid(r.id, index),
    sender_id: r.senderId ?? null,
    step_id: r.stepId ?? null,
    run_id: r.runId ?? null,
    ...(r.isErr ? { is_err: true } : {}),
  };
}

const parts = (r: MessageRow) => (r.content ?? []) as Part[];

function userContent(r: MessageRow): unknown {
  const ps = parts(r);
  if (ps.some((p) => p.type === 'image')) return ps;
  const text = ps
    .filter((p) => p.type === 'text')
    .map((p) => String(p.text ?? ''))
    .join('\n');
  if (text.startsWith('{')) {
    try {
      const j = JSON.parse(text) as { type?: string; message?: unknown };
      if (j.type === 'user_message' && typeof j.message === 'string') return j.message;
    } catch {
      /* plain text that happens to start with a brace */
    }
  }
  return text;
}

function toolCallView(c: StoredToolCall) {
  return { name: c.function.name, arguments: c.function.arguments, tool_call_id: c.id };
}

function assistantItems(r: MessageRow, o: ProjectionOptions, next: () => number): LettaMessage[] {
  const out: LettaMessage[] = [];
  for (const p of parts(r)) {
    if (p.type === 'reasoning')
      out.push({
        ...common(r, 'reasoning_message', next()),
        reasoning: String(p.reasoning ?? ''),
        source: p.is_native === false ? 'non_reasoner_model' : 'reasoner_model',
        signature: (p.signature as string) ?? null,
      });
    else if (p.type === 'redacted_reasoning')
      out.push({ ...common(r, 'hidden_reasoning_message', next()), state: 'redacted', hidden_reasoning: (p.data as string) ?? null });
    else if (p.type === 'omitted_reasoning')
      out.push({ ...common(r, 'hidden_reasoning_message', next()), state: 'omitted', hidden_reasoning: null });
    else if (p.type === 'text' && o.legacy)
      out.push({
        ...common(r, 'reasoning_message', next()),
        reasoning: String(p.text ?? ''),
        source: 'non_reasoner_model',
        signature: null,
      });
    else if (p.type === 'text') out.push({ ...common(r, 'assistant_message', next()), content: String(p.text ?? '') });
  }
  const calls = (r.toolCalls ?? []) as StoredToolCall[];
  const toolName = o.assistantToolName ?? 'send_message';
  const kwarg = o.assistantToolKwarg ?? 'message';
  const rest: StoredToolCall[] = [];
  for (const c of calls) {
    if (o.useAssistantMessage !== false && c.function.name === toolName) {
      let content: unknown = '';
      try {
        content = (JSON.parse(c.function.arguments) as Record<string, unknown>)[kwarg] ?? '';
      } catch {
        content = c.function.arguments;
      }
      out.push({ ...common(r, 'assistant_message', next()), content: typeof content === 'string' ? content : JSON.stringify(content) });
    } else rest.push(c);
  }
  if (rest.length) {
    const type = r.role === 'approval' ? 'approval_request_message' : 'tool_call_message';
    out.push({ ...common(r, type, next()), tool_call: toolCallView(rest[0]!), tool_calls: rest.map(toolCallView) });
  }
  return out;
}

function toolItems(r: MessageRow, o: ProjectionOptions, next: () => number): LettaMessage[] {
  const toolName = o.assistantToolName ?? 'send_message';
  const returns = ((r.toolReturns ?? []) as StoredToolReturn[]).filter((t) => !(o.useAssistantMessage !== false && t.name === toolName));
  if (returns.length === 0) return [];
  const views = returns.map((t) => ({
    type: 'tool',
    tool_call_id: t.tool_call_id,
    status: t.status,
    tool_return: t.func_response,
    stdout: t.stdout ?? null,
    stderr: t.stderr ?? null,
  }));
  const first = views[0]!;
  return [
    {
      ...common(r, 'tool_return_message', next()),
      name: returns[0]!.name,
      tool_return: first.tool_return,
      status: first.status,
      tool_call_id: first.tool_call_id,
      stdout: first.stdout,
      stderr: first.stderr,
      tool_returns: views,
    },
  ];
}

function toLettaMessage(r: MessageRow, o: ProjectionOptions = {}): LettaMessage[] {
  let i = 0;
  const next = () => i++;
  switch (r.role) {
    case 'system':
      return [{ ...common(r, 'system_message', next()), content: r.text }];
    case 'user':
      return [{ ...common(r, 'user_message', next()), content: userContent(r) }];
    case 'assistant':
      return assistantItems(r, o, next);
    case 'tool':
      return toolItems(r, o, next);
    case 'approval':
      if (r.toolCalls?.length) return assistantItems(r, { ...o, useAssistantMessage: false }, next);
      return [
        {
          ...common(r, 'approval_response_message', next()),
          approvals: r.approvals ?? null,
          approve: r.approve ?? null,
          approval_request_id: r.approvalRequestId ?? null,
          reason: r.denialReason ?? null,
        },
      ];
    case 'summary':
      return [{ ...common(r, 'summary_message', next()), summary: r.text }];
    default:
      return [];
  }
}

export function toLettaMessages(rows: MessageRow[], o: ProjectionOptions = {}): LettaMessage[] {
  return rows.flatMap((r) => toLettaMessage(r, o));
}

export function filterByTypes(msgs: LettaMessage[], types?: string[] | null): LettaMessage[] {
  if (!types || types.length === 0) return msgs;
  const allowed = new Set(types);
  return msgs.filter((m) => allowed.has(m.message_type));
}
