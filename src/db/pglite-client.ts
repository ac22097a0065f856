// The embedded database seen from the main thread: PGlite's query/exec/transaction, run by a worker thread
// (pglite-worker.ts) so HTTP and JSON work go on while a statement runs. drizzle's pglite driver uses it unchanged.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import { runQuery } from './pglite-prepared.js';
import { createTxGate, type PgliteTx, type Statements } from './pglite-gate.js';
import {
  type Command,
  fromPlainError,
  MAX_MESSAGE_BYTES,
  type Ready,
  type Reply,
  type Request,
  sizeOf,
  tooLarge,
  type WorkerOptions,
} from './pglite-protocol.js';

/** The worker stopped (crashed, was killed, or PGlite aborted): every statement waiting on it fails with this. */
export class DatabaseWorkerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`embedded database worker: ${message}`, options);
    this.name = 'DatabaseWorkerError';
  }
}

type Dump = 'none' | 'gzip' | 'auto';

/** What the server and drizzle use of PGlite, in its worker or (the escape hatch) in this thread. */
export type PgliteClient = Omit<PgliteTx, 'rollback' | 'closed'> & {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
  dumpDataDir(compression?: Dump): Promise<Blob>;
  close(): Promise<void>;
};

/** PGlite in this thread, with the worker client's shape (and, like it, statements kept prepared by their text). */
export function inThreadClient(pg: PGlite): PgliteClient {
  return {
    query: async <T>(text: string, params: unknown[] = [], options?: QueryOptions) => {
      const { rowMode, parsers, ...other } = options ?? {};
      if (Object.keys(other).length > 0) return pg.query<T>(text, params, options);
      const res = await runQuery<T>(pg, text, params, { rowMode, textTypes: parsers ? Object.keys(parsers).map(Number) : [] });
      if (parsers) applyParsers(res, parsers);
      return res;
    },
    exec: (text) => pg.exec(text),
    transaction: (fn) => pg.transaction(fn),
    dumpDataDir: (compression) => pg.dumpDataDir(compression),
    close: () => pg.close(),
  };
}

export type PgliteWorkerOptions = Omit<WorkerOptions, 'load'> & {
  load?: Blob;
  /** Called once when the worker stops without close(): the server cannot go on without its database. */
  onExit?: (err: DatabaseWorkerError) => void;
};

/** Starts the worker and waits until PGlite is open in it (its errors, e.g. a damaged data folder, are thrown here). */
export async function startPgliteWorker(opts: PgliteWorkerOptions): Promise<{ client: PgliteClient; worker: Worker }> {
  const load = opts.load ? new Uint8Array(await opts.load.arrayBuffer()) : undefined;
  const maxBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const data: WorkerOptions = { dataDir: opts.dataDir, sharedBuffers: opts.sharedBuffers, load, maxMessageBytes: maxBytes };
  const worker = spawn(data, load ? [load.buffer] : []);
  await new Promise<void>((resolve, reject) => {
    const early = (err: Error) => reject(err);
    const exited = (code: number) => reject(new DatabaseWorkerError(`exited with code ${code} while opening`));
    worker.once('error', early).once('exit', exited);
    worker.once('message', (m: Ready) => {
      worker.off('error', early).off('exit', exited);
      if (m.ready) resolve();
      else void worker.terminate().finally(() => reject(fromPlainError(m.error)));
    });
  });
  return { client: connect(worker, maxBytes, opts.onExit), worker };
}

/** The compiled worker beside this file, or from source (tests, tsx) the TypeScript one loaded through tsx. */
function spawn(workerData: WorkerOptions, transferList: ArrayBuffer[]): Worker {
  const js = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData, transferList });
  const ts = JSON.stringify(js.href.replace(/\.js$/, '.ts'));
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${ts}); })`;
  return new Worker(boot, { eval: true, workerData, transferList });
}

function connect(worker: Worker, maxBytes: number, onExit?: (err: DatabaseWorkerError) => void): PgliteClient {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  let failure: DatabaseWorkerError | undefined;
  let closing = false;
  worker.unref(); // like PGlite in this thread, an idle database does not keep the process alive

  worker.on('message', (r: Reply) => {
    const p = pending.get(r.id);
    pending.delete(r.id);
    if (pending.size === 0) worker.unref();
    if (r.ok) p?.resolve(r.value);
    else p?.reject(fromPlainError(r.error));
  });
  const fail = (err: DatabaseWorkerError) => {
    if (failure) return;
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (!closing) onExit?.(err);
  };
  worker.on('error', (err) => fail(new DatabaseWorkerError(`failed: ${err.message}`, { cause: err })));
  worker.on('exit', (code) => fail(new DatabaseWorkerError(closing ? 'closed' : `stopped unexpectedly (exit code ${code})`)));

  const send = <T>(command: Command): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = ++nextId;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      worker.postMessage({ id, command } satisfies Request);
    });
  };
  const statements = statementsOver(send, maxBytes);
  const gate = createTxGate();

  return {
    query: (text, params, options) => gate.outside(() => statements.query(text, params, options)),
    exec: (text) => gate.outside(() => statements.exec(text)),
    transaction: (fn) => gate.transaction(statements, fn),
    dumpDataDir: async (compression = 'none') => new Blob([await send<ArrayBuffer>({ op: 'dump', compression })]),
    close: async () => {
      if (closing) return;
      closing = true;
      await send({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
}

/** query/exec as messages: values cross by structured clone; drizzle's type parsers run here, on the text. */
function statementsOver(send: <T>(c: Command) => Promise<T>, maxBytes: number): Statements {
  return {
    query: async <T>(text: string, params: unknown[] = [], options?: QueryOptions) => {
      const { rowMode, parsers, ...other } = options ?? {};
      if (Object.keys(other).length > 0) throw new Error(`query options ${Object.keys(other).join(', ')} do not cross to the worker`);
      if (sizeOf([text, params], maxBytes) > maxBytes) throw tooLarge('a statement with its values', maxBytes);
      const raw = parsers ? Object.keys(parsers).map(Number) : [];
      const res = await send<Results<T>>({ op: 'query', text, params, rowMode, raw });
      if (parsers) applyParsers(res, parsers);
      return res;
    },
    exec: async (text) => {
      if (sizeOf(text, maxBytes) > maxBytes) throw tooLarge('a statement', maxBytes);
      return send<Results[]>({ op: 'exec', text });
    },
  };
}

function applyParsers(res: Results<unknown>, parsers: NonNullable<QueryOptions['parsers']>): void {
  res.fields.forEach((f, i) => {
    const parse = parsers[f.dataTypeID];
    if (!parse) return;
    for (const row of res.rows as Record<string | number, unknown>[]) {
      const key = Array.isArray(row) ? i : f.name;
      const v = row[key];
      if (typeof v === 'string') row[key] = parse(v);
    }
  });
}
