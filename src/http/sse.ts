// Server-sent events on the raw response, framed exactly as the Letta SDK parses them: `data: <json>\n\n`
// events, `event: error` for failures after the headers, `data: [DONE]\n\n` and then the response ends
// (the SDK keeps reading until the socket closes, so ending right after [DONE] matters).
import type { FastifyReply } from 'fastify';

export type SseWriter = {
  /** Writes one `data:` event; false when the client is gone (nothing written). */
  send(data: unknown): boolean;
  /** Writes `event: error` with a JSON body (the SDK throws an APIError with `body.message`). */
  error(data: unknown): boolean;
  /** Writes `data: [DONE]` and ends the response. Idempotent. */
  done(): void;
  /** Ends the response without [DONE] (only for transport failures). */
  end(): void;
  /** True once the client disconnected before we ended the response. */
  readonly disconnected: boolean;
  /** Called once when the client goes away before we end the response. */
  onDisconnect(fn: () => void): void;
};

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** Takes the response over from Fastify and flushes the SSE headers at once (the SDK times out on headers only). */
export function openSse(reply: FastifyReply): SseWriter {
  // Headers set by hooks (CORS) live on the reply, not on the raw response we write to.
  const inherited = reply.getHeaders() as Record<string, string | string[] | number>;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...inherited, ...SSE_HEADERS });
  res.flushHeaders();
  // app.inject's fake socket has no setNoDelay.
  if (typeof res.socket?.setNoDelay === 'function') res.socket.setNoDelay(true);
  let ended = false;
  let disconnected = false;
  const listeners: (() => void)[] = [];
  res.on('close', () => {
    if (ended) return;
    disconnected = true;
    for (const fn of listeners.splice(0)) fn();
  });
  const write = (frame: string): boolean => {
    if (ended || disconnected || res.destroyed) return false;
    res.write(frame);
    return true;
  };
  const finish = () => {
    if (ended) return;
    ended = true;
    if (!res.destroyed) res.end();
  };
  return {
    send: (data) => write(`data: ${JSON.stringify(data)}\n\n`),
    error: (data) => write(`event: error\ndata: ${JSON.stringify(data)}\n\n`),
    done() {
      write('data: [DONE]\n\n');
      finish();
    },
    end: finish,
    get disconnected() {
      return disconnected;
    },
    onDisconnect(fn) {
      if (disconnected) fn();
      else listeners.push(fn);
    },
  };
}

/** One event to write: a `data:` event, or `event: error` when `error` is set. */
export type SseEvent = { data: unknown; error?: boolean };

/**
 * Writes `events` as SSE until they end (then [DONE]); when the client goes away first, `onGone` is called and
 * writing stops.
 */
export async function writeSse(reply: FastifyReply, events: AsyncIterable<SseEvent>, onGone: () => void): Promise<void> {
  const sse = openSse(reply);
  sse.onDisconnect(onGone);
  for await (const e of events) {
    if (sse.disconnected) break;
    if (e.error) sse.error(e.data);
    else sse.send(e.data);
  }
  sse.done();
}
