// Helpers shared by both adapters for turning event streams back into responses.
import type { ChatResponse, StreamEvent } from './types.js';

/** Drains a stream to its final response; non-streaming `chat` is built on this where convenient. */
export async function collectResponse(events: AsyncIterable<StreamEvent>): Promise<ChatResponse> {
  for await (const e of events) if (e.type === 'done') return e.response;
  throw new Error('stream ended without a done event');
}
