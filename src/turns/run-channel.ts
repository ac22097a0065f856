// Where one run's chunks go: the live reader (if any) and, for background runs, the run_events log with
// increasing seq_ids. Pings keep a quiet connection alive; the first one tells the client the run id.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { appendRunEvent } from './run-events.repo.js';
import type { RunRegistry } from './run-registry.js';
import type { EventQueue } from './turn-events.js';

/** Stored last in a background run's log so followers know the run ended (never sent to clients). */
export const END_MARKER = '__end__';

export type RunChannel = {
  emit(chunk: Record<string, unknown>): Promise<void>;
  /** An error_message chunk (SSE `event: error`). */
  error(body: Record<string, unknown>): Promise<void>;
  /** Stores the end marker and ends the live events. */
  close(): Promise<void>;
};

export type ChannelOptions = {
  db: Db;
  runId: string;
  background: boolean;
  registry: RunRegistry;
  live?: EventQueue;
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
  const write = (data: Record<string, unknown>, error = false) => {
    lastWrite = Date.now();
    o.live?.push(error ? { data, error } : { data });
  };
  if (o.includePings) write(pingChunk(o.runId));
  const pingMs = o.pingMs ?? 20_000;
  const timer =
    o.includePings && o.live
      ? setInterval(
          () => {
            if (Date.now() - lastWrite >= pingMs) write(pingChunk(o.runId, o.background ? seq : undefined));
          },
          Math.min(pingMs, 5_000),
        )
      : undefined;
  const push = (chunk: Record<string, unknown>, error: boolean): Promise<void> => {
    if (!o.background) {
      write(chunk, error);
      return Promise.resolve();
    }
    const s = ++seq;
    const payload = { ...chunk, run_id: chunk.run_id ?? o.runId, seq_id: s };
    write(payload, error);
    tail = tail.then(() => appendRunEvent(o.db, o.runId, s, payload)).then(() => o.registry.notify(o.runId));
    return tail;
  };
  return {
    emit: (chunk) => push(chunk, false),
    error: (body) => push(body, true),
    async close() {
      if (timer) clearInterval(timer);
      if (o.background) {
        const s = ++seq;
        tail = tail.then(() => appendRunEvent(o.db, o.runId, s, { message_type: END_MARKER })).then(() => o.registry.notify(o.runId));
        await tail.catch(() => {});
      }
      o.live?.end();
    },
  };
}
