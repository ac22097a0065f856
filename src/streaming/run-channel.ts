// Where one run's chunks go: the live SSE response (if any) and, for background runs, the run_events log with
// increasing seq_ids. Pings keep a quiet connection alive; the first one tells the client the run id.
import type { Db } from '../db/client.js';
import { randomUUID } from 'node:crypto';
import type { SseWriter } from '../http/sse.js';
import { appendRunEvent } from './run-events.repo.js';
import type { RunRegistry } from './run-registry.js';

/** Stored last in a background run's log so followers know the run ended (never sent to clients). */
export const END_MARKER = '__end__';

export type RunChannel = {
  emit(chunk: Record<string, unknown>): Promise<void>;
  /** `event: error` with an error_message body. */
  error(body: Record<string, unknown>): Promise<void>;
  /** Stores the end marker, writes [DONE] and ends the response. */
  close(): Promise<void>;
};

export type ChannelOptions = {
  db: Db;
  runId: string;
  background: boolean;
  registry: RunRegistry;
  sse?: SseWriter;
  includePings: boolean;
  pingMs?: number;
};

export const pingChunk = (runId: string, seqId?: number) => ({
  id: `ping-${randomUUID()}`,
  date: new Date().toISOString(),
  message_type: 'ping',
  run_id: runId,
  ...(seqId !== undefined ? { seq_id: seqId } : {}),
});

export function createRunChannel(o: ChannelOptions): RunChannel {
  let seq = 0;
  let tail: Promise<void> = Promise.resolve();
  let lastWrite = Date.now();
  const write = (kind: 'data' | 'error', payload: Record<string, unknown>) => {
    lastWrite = Date.now();
    if (kind === 'error') o.sse?.error(payload);
    else o.sse?.send(payload);
  };
  if (o.includePings) write('data', pingChunk(o.runId));
  const timer = o.includePings && o.sse
    ? setInterval(() => {
        if (Date.now() - lastWrite >= (o.pingMs ?? 20_000)) write('data', pingChunk(o.runId, o.background ? seq : undefined));
      }, Math.min(o.pingMs ?? 20_000, 5_000))
    : undefined;
  const push = (kind: 'data' | 'error', chunk: Record<string, unknown>): Promise<void> => {
    const payload = o.background ? { ...chunk, run_id: chunk.run_id ?? o.runId, seq_id: ++seq } : chunk;
    write(kind, payload);
    if (!o.background) return Promise.resolve();
    const s = payload.seq_id as number;
    tail = tail.then(() => appendRunEvent(o.db, o.runId, s, payload)).then(() => o.registry.notify(o.runId));
    return tail;
  };
  return {
    emit: (chunk) => push('data', chunk),
    error: (body) => push('error', body),
    async close() {
      if (timer) clearInterval(timer);
      if (o.background) {
        const s = ++seq;
        tail = tail.then(() => appendRunEvent(o.db, o.runId, s, { message_type: END_MARKER })).then(() => o.registry.notify(o.runId));
        await tail.catch(() => {});
      }
      o.sse?.done();
    },
  };
}
