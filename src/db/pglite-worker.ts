// The embedded database's thread: opens PGlite (with pgvector) and runs the statements the main thread posts, in the
// order they arrive (pglite-client.ts keeps a transaction's statements together).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  type Command,
  MAX_MESSAGE_BYTES,
  type Ready,
  type Reply,
  type Request,
  sizeOf,
  toPlainError,
  tooLarge,
  type WorkerOptions,
} from './pglite-protocol.js';
import { runQuery } from './pglite-prepared.js';

const port = parentPort!;
const opts: WorkerOptions = workerData;
const maxBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;

async function run(db: PGlite, req: Command): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (req.op) {
    case 'query': {
      const res = await runQuery(db, req.text, req.params, { rowMode: req.rowMode, textTypes: req.raw });
      if (sizeOf(res.rows, maxBytes) > maxBytes) throw tooLarge('a result', maxBytes);
      return { value: res };
    }
    case 'exec':
      return { value: await db.exec(req.text) };
    case 'dump': {
      const bytes = await (await db.dumpDataDir(req.compression)).arrayBuffer();
      return { value: bytes, transfer: [bytes] };
    }
    case 'close':
      await Promise.allSettled(inFlight);
      await db.close();
      return { value: undefined };
  }
}

const inFlight = new Set<Promise<void>>();

function serve(db: PGlite, req: Request): void {
  const done: Promise<void> = run(db, req.command).then(
    ({ value, transfer }) => port.postMessage({ id: req.id, ok: true, value } satisfies Reply, transfer),
    (err: unknown) => port.postMessage({ id: req.id, ok: false, error: toPlainError(err) } satisfies Reply),
  );
  if (req.command.op === 'close') return;
  inFlight.add(done);
  void done.finally(() => inFlight.delete(done));
}

try {
  const cache = opts.sharedBuffers ? ['-c', `shared_buffers=${opts.sharedBuffers}`] : [];
  const db = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.load ? new Blob([opts.load]) : undefined,
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...cache],
  });
  port.on('message', (req: Request) => serve(db, req));
  port.postMessage({ ready: true } satisfies Ready);
} catch (err) {
  port.postMessage({ ready: false, error: toPlainError(err) } satisfies Ready);
}
