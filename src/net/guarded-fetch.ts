// A fetch for caller-given URLs: every hop (the first request and each redirect) passes the outbound policy, and the
// connection goes to the addresses that were checked, so a second DNS answer cannot send it elsewhere (rebinding).
// Built on node:http(s) because a custom DNS lookup per connection is not reachable through the global fetch.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { checkOutboundUrl, systemResolver, type CheckedTarget, type OutboundPolicy, type Resolver } from './outbound-policy.js';

export type GuardedFetch = typeof fetch;

type Hop = {
  url: URL;
  method: string;
  headers: Headers;
  body: Buffer | undefined;
  redirect: NonNullable<RequestInit['redirect']>;
  signal?: AbortSignal;
};

const MAX_REDIRECTS = 10;
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

export function createGuardedFetch(policy: OutboundPolicy, resolve: Resolver = systemResolver): GuardedFetch {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let hop = await firstHop(input, init);
    for (let n = 0; ; n++) {
      const target = await checkOutboundUrl(hop.url, policy, resolve);
      const res = await send(hop, target, agents);
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || hop.redirect === 'manual' || !location) return res;
      await res.body?.cancel().catch(() => undefined);
      if (hop.redirect === 'error') throw new TypeError(`fetch failed: redirect to ${location} with redirect: 'error'`);
      if (n >= MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects');
      hop = nextHop(hop, res.status, new URL(location, hop.url));
    }
  };
  return guarded as GuardedFetch;
}

async function firstHop(input: string | URL | Request, init: RequestInit): Promise<Hop> {
  const req = input instanceof Request ? input : undefined;
  const url = new URL(req ? req.url : input.toString());
  const headers = new Headers(req?.headers);
  for (const [k, v] of new Headers(init.headers)) headers.set(k, v);
  const method = (init.method ?? req?.method ?? 'GET').toUpperCase();
  let body: Buffer | undefined;
  const rawBody = init.body !== undefined ? init.body : req?.body;
  if (rawBody != null) {
    const r = new Response(rawBody as ConstructorParameters<typeof Response>[0]);
    body = Buffer.from(await r.arrayBuffer());
    const type = r.headers.get('content-type');
    if (type && !headers.has('content-type')) headers.set('content-type', type);
  }
  return {
    url,
    method,
    headers,
    body,
    redirect: init.redirect ?? req?.redirect ?? 'follow',
    signal: init.signal ?? req?.signal ?? undefined,
  };
}

/** What fetch does on a redirect: 303 (and 301/302 after POST) becomes a GET; credentials stay with their origin. */
function nextHop(hop: Hop, status: number, url: URL): Hop {
  const headers = new Headers(hop.headers);
  if (url.origin !== hop.url.origin) for (const h of CROSS_ORIGIN_DROPPED) headers.delete(h);
  if (status === 303 || ((status === 301 || status === 302) && hop.method === 'POST')) {
    for (const h of ['content-type', 'content-length', 'content-encoding']) headers.delete(h);
    return { ...hop, url, headers, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', body: undefined };
  }
  return { ...hop, url, headers };
}

function pinnedLookup(addresses: string[]): LookupFunction {
  const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  return ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, list);
    else cb(null, list[0]!.address, list[0]!.family);
  }) as unknown as LookupFunction;
}

function send(hop: Hop, target: CheckedTarget, agents: { http: http.Agent; https: https.Agent }): Promise<Response> {
  const secure = hop.url.protocol === 'https:';
  const headers: Record<string, string> = {};
  for (const [k, v] of hop.headers) headers[k] = v;
  if (hop.body) headers['content-length'] = String(hop.body.length);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      {
        protocol: hop.url.protocol,
        hostname: target.host,
        port: target.port,
        path: `${hop.url.pathname}${hop.url.search}`,
        method: hop.method,
        headers,
        agent: secure ? agents.https : agents.http,
        lookup: pinnedLookup(target.addresses),
        signal: hop.signal,
      },
      (res) => resolve(toResponse(res, hop)),
    );
    req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
    req.end(hop.body);
  });
}

function toResponse(res: IncomingMessage, hop: Hop): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 502;
  let body: ReadableStream | null = null;
  if (hop.method === 'HEAD' || NULL_BODY.has(status)) res.resume();
  else body = Readable.toWeb(decoded(res, headers.get('content-encoding'))) as ReadableStream;
  const response = new Response(body, { status, statusText: res.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: hop.url.href });
  return response;
}

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** fetch hands out the decoded body; so do we. */
function decoded(res: IncomingMessage, encoding: string | null): Readable {
  const decoder = DECODERS[encoding?.trim().toLowerCase() ?? '']?.();
  if (!decoder) return res;
  res.on('error', (err) => decoder.destroy(err));
  return res.pipe(decoder);
}
