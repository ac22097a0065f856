// Phase 4: one model call, plain or streamed (deltas forwarded to the sink).
import type { ChatRequest, ChatResponse, Provider } from '../../llm/types.js';
import type { TurnSink } from './types.js';

export async function callModel(
  provider: Provider,
  req: ChatRequest,
  stream: boolean,
  stepId: string,
  messageId: string,
  sink?: TurnSink,
): Promise<ChatResponse> {
  if (!stream) return provider.chat(req);
  let done: ChatResponse | undefined;
  for await (const event of provider.stream(req)) {
    if (event.type === 'done') done = event.response;
    else sink?.onDelta?.({ stepId, messageId, event });
  }
  if (!done) throw new Error('stream ended without a final response');
  return done;
}
