// Start, periodic progress and finish lines for long work (re-embedding, file processing, imports).
import type { Logger } from 'pino';

export type Progress = {
  /** Logs `done / total` when at least `everyMs` passed since the last line. */
  step(done: number): void;
  finish(fields?: Record<string, unknown>): void;
};

export type ProgressOptions = { total?: number; everyMs?: number; now?: () => number };

export function startProgress(log: Pick<Logger, 'info'>, what: string, fields: Record<string, unknown>, o: ProgressOptions = {}): Progress {
  const now = o.now ?? Date.now;
  const everyMs = o.everyMs ?? 5_000;
  const started = now();
  let last = started;
  log.info({ ...fields, total: o.total }, `${what}: started`);
  return {
    step(done) {
      const at = now();
      if (at - last < everyMs) return;
      last = at;
      log.info({ ...fields, done, total: o.total, ms: at - started }, `${what}: ${done}${o.total === undefined ? '' : ` / ${o.total}`}`);
    },
    finish(extra = {}) {
      log.info({ ...fields, ...extra, ms: now() - started }, `${what}: done`);
    },
  };
}
