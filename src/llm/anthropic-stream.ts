// Anthropic raw stream events → our StreamEvents, assembling the same response the non-streaming call returns.
import type Anthropic from '@anthropic-ai/sdk';
import { mapAnthropicUsage, mapStopReason } from './anthropic-response.js';
import type { ChatResponse, ReasoningPart, StreamEvent, ToolCall } from './types.js';

type RawEvent = Anthropic.Messages.RawMessageStreamEvent;
type BlockState = { kind: 'text' } | { kind: 'reasoning'; part: ReasoningPart } | { kind: 'tool'; call: ToolCall; index: number };

type State = {
  text: string;
  reasoning: ReasoningPart[];
  toolCalls: ToolCall[];
  blocks: Map<number, BlockState>;
  usage: Record<string, number | null | undefined>;
  stopReason?: string | null;
  model?: string;
};

function* blockStart(state: State, e: Anthropic.Messages.RawContentBlockStartEvent): Generator<StreamEvent> {
  const b = e.content_block;
  if (b.type === 'text') {
    state.blocks.set(e.index, { kind: 'text' });
    if (b.text) {
      state.text += b.text;
      yield { type: 'text_delta', text: b.text };
    }
  } else if (b.type === 'thinking') {
    const part: ReasoningPart = { text: b.thinking ?? '', signature: b.signature || undefined };
    state.reasoning.push(part);
    state.blocks.set(e.index, { kind: 'reasoning', part });
  } else if (b.type === 'redacted_thinking') {
    state.reasoning.push({ text: b.data, redacted: true });
  } else if (b.type === 'tool_use') {
    const call: ToolCall = { id: b.id, name: b.name, arguments: '' };
    const index = state.toolCalls.push(call) - 1;
    state.blocks.set(e.index, { kind: 'tool', call, index });
    yield { type: 'tool_call_start', index, id: call.id, name: call.name };
  }
}

function* blockDelta(state: State, e: Anthropic.Messages.RawContentBlockDeltaEvent): Generator<StreamEvent> {
  const block = state.blocks.get(e.index);
  const d = e.delta;
  if (d.type === 'text_delta' && block?.kind === 'text') {
    state.text += d.text;
    yield { type: 'text_delta', text: d.text };
  } else if (d.type === 'thinking_delta' && block?.kind === 'reasoning') {
    block.part.text += d.thinking;
    yield { type: 'reasoning_delta', text: d.thinking };
  } else if (d.type === 'signature_delta' && block?.kind === 'reasoning') {
    block.part.signature = (block.part.signature ?? '') + d.signature;
    yield { type: 'reasoning_signature', signature: d.signature };
  } else if (d.type === 'input_json_delta' && block?.kind === 'tool') {
    block.call.arguments += d.partial_json;
    yield { type: 'tool_call_delta', index: block.index, argumentsDelta: d.partial_json };
  }
}

function* handle(state: State, e: RawEvent): Generator<StreamEvent> {
  switch (e.type) {
    case 'message_start':
      state.model = e.message.model;
      Object.assign(state.usage, e.message.usage);
      return;
    case 'content_block_start':
      return yield* blockStart(state, e);
    case 'content_block_delta':
      return yield* blockDelta(state, e);
    case 'content_block_stop': {
      const block = state.blocks.get(e.index);
      // A tool called without arguments streams no input_json_delta; the non-streaming form is "{}".
      if (block?.kind === 'tool' && block.call.arguments === '') block.call.arguments = '{}';
      return;
    }
    case 'message_delta':
      state.stopReason = e.delta.stop_reason ?? state.stopReason;
      for (const [k, v] of Object.entries(e.usage ?? {})) if (v !== null && v !== undefined) state.usage[k] = v as number;
      return;
  }
}

function assemble(state: State, fallbackModel: string): ChatResponse {
  return {
    text: state.text,
    reasoning: state.reasoning,
    toolCalls: state.toolCalls,
    usage: mapAnthropicUsage(state.usage),
    finishReason: mapStopReason(state.stopReason, state.toolCalls.length > 0),
    model: state.model || fallbackModel,
  };
}

export async function* anthropicStreamEvents(events: AsyncIterable<RawEvent>, fallbackModel: string): AsyncGenerator<StreamEvent> {
  const state: State = { text: '', reasoning: [], toolCalls: [], blocks: new Map(), usage: {} };
  for await (const e of events) yield* handle(state, e);
  yield { type: 'done', response: assemble(state, fallbackModel) };
}
