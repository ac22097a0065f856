// The messages between the main thread and the embedded database's worker (pglite-worker.ts), and the two things
// both sides need: a database error as plain fields, and a bound on how large one message may be.

/** One statement or command for the worker; `raw` lists the type OIDs to return as text (the caller parses them). */
export type Command =
  | { op: 'query'; text: string; params: unknown[]; rowMode?: 'array' | 'object'; raw: number[] }
  | { op: 'exec'; text: string }
  | { op: 'dump'; compression: 'none' | 'gzip' | 'auto' }
  | { op: 'close' };

export type Request = { id: number; command: Command };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: PlainError };

/** What the worker posts once PGlite is open, or why it could not open it. */
export type Ready = { ready: true } | { ready: false; error: PlainError };

/** How the worker opens PGlite (its workerData). */
export type WorkerOptions = { dataDir?: string; load?: Uint8Array; sharedBuffers?: string; maxMessageBytes?: number };

/** A statement's text and values, or its result rows, may not exceed this (a clear error instead of a stalled copy). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export type PlainError = Record<string, string | number>;

// PostgreSQL's error fields as PGlite names them; `query` is left out (it can be as large as the statement).
const FIELDS = ['name', 'message', 'severity', 'code', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column'];
const MORE_FIELDS = ['dataType', 'constraint', 'routine', 'internalPosition', 'internalQuery'];

export function toPlainError(err: unknown): PlainError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: PlainError = {};
  const fields: Record<string, unknown> = { ...err, name: err.name, message: err.message };
  for (const k of [...FIELDS, ...MORE_FIELDS]) {
    const v = fields[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/** An Error carrying the PostgreSQL fields (code, detail, constraint …) our error mapping reads. */
export function fromPlainError(plain: PlainError): Error {
  const err = Object.assign(new Error(String(plain.message ?? 'database error')), plain);
  err.name = String(plain.name ?? 'Error');
  return err;
}

/** The approximate size of a value as it crosses threads, counting no further than `limit`. */
export function sizeOf(value: unknown, limit = MAX_MESSAGE_BYTES): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= limit) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length * 2;
    else if (ArrayBuffer.isView(v)) total += v.byteLength;
    else if (Array.isArray(v)) {
      total += 8 * v.length;
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, x] of Object.entries(v)) {
        total += k.length * 2;
        stack.push(x);
      }
    } else total += 8;
  }
  return total;
}

export function tooLarge(what: string, limit: number): Error {
  return new Error(`${what} is larger than ${limit} bytes, the bound for one embedded database message`);
}
