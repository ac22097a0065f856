// Provider stream events → partial LettaMessages (token streaming). Every delta of one step's reply carries the
// id the reply is stored under; each part (reasoning, text, tool calls) keeps one otid, numbered in order of
// first appearance like the stored projection numbers its parts.
import { newId } from '../ids.js';
import type { StreamEvent } from '../llm/types.js';
import type { LettaMessage } from '../agent/loop/types.js';
import { partOtid } from '../agent/letta-message.mapper.js';

type PartKind = 'reasoning' | 'text' | 'tools';
export type DeltaMapper = (e: StreamEvent) => LettaMessage | null;

export function createDeltaMapper(o: { runId: string; stepId: string; messageId?: string; now?: () => Date }): DeltaMapper {
  const id = o.messageId ?? newId('message');
  const date = `${(o.now?.() ?? new Date()).toISOString().slice(0, 19)}Z`;
  const indexes = new Map<PartKind, number>();
  const callIds = new Map<number, string>();
  const base = (type: string, kind: PartKind): LettaMessage => {
    if (!indexes.has(kind)) indexes.set(kind, indexes.size);
    return {
      id,
      date,
      message_type: type,
      name: null,
      otid: partOtid(id, indexes.get(kind)!),
      sender_id: null,
      step_id: o.stepId,
      run_id: o.runId,
    };
  };
  return (e) => {
    switch (e.type) {
      case 'text_delta':
        return e.text ? { ...base('assistant_message', 'text'), content: e.text } : null;
      case 'reasoning_delta':
        return e.text ? { ...base('reasoning_message', 'reasoning'), reasoning: e.text, source: 'reasoner_model', signature: null } : null;
      case 'tool_call_start': {
        callIds.set(e.index, e.id);
        const delta = { name: e.name, tool_call_id: e.id };
        return { ...base('tool_call_message', 'tools'), tool_call: delta, tool_calls: delta };
      }
      case 'tool_call_delta': {
        if (!e.argumentsDelta) return null;
        const callId = callIds.get(e.index);
        const delta = { arguments: e.argumentsDelta, ...(callId ? { tool_call_id: callId } : {}) };
        return { ...base('tool_call_message', 'tools'), tool_call: delta, tool_calls: delta };
      }
      default:
        return null;
    }
  };
}
