// Turns OpenAI chat-completion chunks into our StreamEvents and assembles the final response.
import type OpenAI from 'openai';
import { mapFinishReason, mapOpenAiUsage, newToolCallId, reasoningTextOf } from './openai-response.js';
import type { ChatResponse, StreamEvent, ToolCall } from './types.js';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type ToolDelta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall;

type PendingCall = { id?: string; name?: string; args: string; outIndex?: number };

type State = {
  text: string;
  reasoning: string;
  calls: Map<number, PendingCall>;
  started: ToolCall[];
  finish?: string | null;
  usage?: OpenAI.CompletionUsage | null;
  model?: string;
};

function* toolDeltaEvents(state: State, d: ToolDelta, position: number): Generator<StreamEvent> {
  const key = typeof d.index === 'number' ? d.index : position;
  let call = state.calls.get(key);
  // A new id at an index that already holds a named call means the server reused the index for a new call.
  if (call && d.id && call.id && d.id !== call.id && call.outIndex !== undefined) call = undefined;
  if (!call) {
    call = { args: '' };
    state.calls.set(key, call);
  }
  if (d.id) call.id ??= d.id;
  if (d.function?.name && call.outIndex === undefined) call.name = (call.name ?? '') + d.function.name;
  const argsDelta = d.function?.arguments ?? '';
  if (call.outIndex === undefined && call.name) {
    call.outIndex = state.started.length;
    const tc: ToolCall = { id: call.id ?? newToolCallId(), name: call.name, arguments: '' };
    state.started.push(tc);
    yield { type: 'tool_call_start', index: call.outIndex, id: tc.id, name: tc.name };
    if (call.args) yield* appendArgs(state, call.outIndex, call.args);
  }
  if (!argsDelta) return;
  if (call.outIndex === undefined) call.args += argsDelta;
  else yield* appendArgs(state, call.outIndex, argsDelta);
}

function* appendArgs(state: State, index: number, delta: string): Generator<StreamEvent> {
  const call = state.started[index];
  if (!call) throw new Error(`openai stream: arguments for tool call ${index}, which was never started`);
  call.arguments += delta;
  yield { type: 'tool_call_delta', index, argumentsDelta: delta };
}

function* chunkEvents(state: State, chunk: Chunk): Generator<StreamEvent> {
  if (chunk.model) state.model = chunk.model;
  if (chunk.usage) state.usage = chunk.usage;
  const choice = chunk.choices?.[0];
  if (!choice) return;
  const delta = choice.delta ?? {};
  const reasoning = reasoningTextOf(delta);
  if (reasoning) {
    state.reasoning += reasoning;
    yield { type: 'reasoning_delta', text: reasoning };
  }
  if (delta.content) {
    state.text += delta.content;
    yield { type: 'text_delta', text: delta.content };
  }
  const toolDeltas = delta.tool_calls ?? [];
  for (const [i, d] of toolDeltas.entries()) yield* toolDeltaEvents(state, d, i);
  if (choice.finish_reason) state.finish = choice.finish_reason;
}

function assemble(state: State, fallbackModel: string): ChatResponse {
  return {
    text: state.text,
    reasoning: state.reasoning ? [{ text: state.reasoning }] : [],
    toolCalls: state.started,
    usage: mapOpenAiUsage(state.usage),
    finishReason: mapFinishReason(state.finish, state.started.length > 0),
    model: state.model || fallbackModel,
  };
}

export async function* openAiStreamEvents(chunks: AsyncIterable<Chunk>, fallbackModel: string): AsyncGenerator<StreamEvent> {
  const state: State = { text: '', reasoning: '', calls: new Map(), started: [] };
  for await (const chunk of chunks) yield* chunkEvents(state, chunk);
  yield { type: 'done', response: assemble(state, fallbackModel) };
}
