// Replays a run's stored chunks after a seq_id and follows new ones until the run's end marker (or, for a run
// that died without one, until it has been terminal for a while). Used by the run and conversation stream routes.
import type { Db } from '../db/client.js';
import { END_MARKER, pingChunk } from './run-channel.js';
import { readRunEvents, runStatus } from './run-events.repo.js';
import type { RunRegistry } from './run-registry.js';
import type { TurnEvent } from './turn-events.js';

export type FollowOptions = {
  db: Db;
  runs: RunRegistry;
  runId: string;
  startingAfter: number;
  includePings: boolean;
  pollMs: number;
  batchSize: number;
  pingMs?: number;
  /** How long a terminal run without an end marker is followed before giving up. */
  graceMs?: number;
};

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Ends at the run's end, or when `signal` aborts (the reader left). */
export async function* followRun(o: FollowOptions, signal?: AbortSignal): AsyncGenerator<TurnEvent> {
  let after = o.startingAfter;
  let lastWrite = Date.now();
  let terminalSince: number | null = null;
  if (o.includePings) yield { data: pingChunk(o.runId, after) };
  while (!signal?.aborted) {
    const batch = await readRunEvents(o.db, o.runId, after, o.batchSize);
    for (const ev of batch) {
      after = ev.seqId;
      if (ev.payload.message_type === END_MARKER) return;
      yield ev.payload.message_type === 'error_message' ? { data: ev.payload, error: true } : { data: ev.payload };
      lastWrite = Date.now();
    }
    if (batch.length === o.batchSize) continue;
    const status = await runStatus(o.db, o.runId);
    if (status && TERMINAL.has(status)) {
      terminalSince ??= Date.now();
      if (Date.now() - terminalSince > (o.graceMs ?? 2000)) return;
    }
    if (o.includePings && Date.now() - lastWrite > (o.pingMs ?? 20_000)) {
      yield { data: pingChunk(o.runId, after) };
      lastWrite = Date.now();
    }
    await o.runs.wait(o.runId, o.pollMs);
  }
}
