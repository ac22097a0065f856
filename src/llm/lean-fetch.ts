// The `fetch` the provider SDKs are given: node:http with keep-alive agents. Node's built-in fetch (undici behind the
// WHATWG API) spends about a millisecond of CPU per model call on stream, header and abort plumbing; this costs less
// than half of that (bench: npm run bench). Replies are buffered unless they are event streams; anything this does not
// handle (a streamed request body, a Request object) goes to the built-in fetch.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

function plainBody(body: unknown): string | Buffer | undefined | null {
  if (body == null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return null;
}

/** The reply body, decompressed when the server compressed it anyway (nothing asks it to). */
function decoded(res: http.IncomingMessage): Readable {
  switch (res.headers['content-encoding']) {
    case 'gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

function toResponse(res: http.IncomingMessage, method: string, resolve: (r: Response) => void, reject: (e: unknown) => void): void {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  headers.delete('content-encoding');
  const status = res.statusCode ?? 502;
  const init = { status, statusText: res.statusMessage, headers };
  if (status === 204 || status === 304 || method === 'HEAD') {
    res.resume();
    resolve(new Response(null, init));
    return;
  }
  const body = decoded(res);
  if (String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
    resolve(new Response(Readable.toWeb(body) as ReadableStream, init));
    return;
  }
  const chunks: Buffer[] = [];
  let ended = false;
  body.on('data', (c: Buffer) => chunks.push(c));
  body.on('error', reject);
  res.on('error', reject);
  body.on('end', () => {
    ended = true;
    resolve(new Response(Buffer.concat(chunks), init));
  });
  res.on('close', () => ended || res.complete || reject(new Error('connection closed before the reply was complete')));
}

export function leanFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = plainBody(init.body);
  if (typeof input === 'object' && !(input instanceof URL)) return fetch(input, init);
  if (body === null) return fetch(input, init);
  const url = new URL(String(input));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((v, k) => {
    headers[k] = v;
  });
  const method = init.method ?? 'GET';
  return new Promise((resolve, reject) => {
    const signal = init.signal;
    if (signal?.aborted) return reject(signal.reason);
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      { method, headers, agent: agents[url.protocol as keyof typeof agents] },
      (res) => toResponse(res, method, resolve, reject),
    );
    const onAbort = () => req.destroy(signal!.reason instanceof Error ? signal!.reason : new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', onAbort));
    req.on('error', reject);
    req.end(body);
  });
}
