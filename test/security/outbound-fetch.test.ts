// The policy-checking fetch: every redirect hop is checked, and the connection goes to the address that was checked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../src/net/guarded-fetch.js';
import { createOutboundPolicy, OutboundRefusedError } from '../../src/net/outbound-policy.js';

type Hit = { method: string; url: string; body: string; auth?: string };
let target: Server;
let hop: Server;
let targetPort = 0;
let hopPort = 0;
const hits: Hit[] = [];
const hopHits: Hit[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, number]> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return [server, (server.address() as AddressInfo).port];
}

function record(into: Hit[], req: Parameters<Parameters<typeof createServer>[1] & object>[0], then: (body: string) => void): void {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    into.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
    then(body);
  });
}

beforeAll(async () => {
  [target, targetPort] = await listen((req, res) =>
    record(hits, req, (body) => {
      if (req.url === '/gz') return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('unzipped'));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${req.method} ${body}`);
    }),
  );
  [hop, hopPort] = await listen((req, res) =>
    record(hopHits, req, () => {
      const to = new URL(req.url!, 'http://x').searchParams.get('to') ?? '/';
      res.writeHead(Number(new URL(req.url!, 'http://x').searchParams.get('code') ?? 302), { location: to }).end();
    }),
  );
});
afterAll(async () => {
  await new Promise((r) => target.close(r));
  await new Promise((r) => hop.close(r));
});

const hopUrl = (to: string, code = 302) => `http://127.0.0.1:${hopPort}/r?code=${code}&to=${encodeURIComponent(to)}`;

describe('guarded fetch', () => {
  it('refuses a redirect from an allowed host to a port that is not allowed, without connecting to it', async () => {
    const f = createGuardedFetch(createOutboundPolicy(`127.0.0.1:${hopPort}`));
    hits.length = 0;
    const err = await f(hopUrl(`http://127.0.0.1:${targetPort}/secret`), { method: 'POST', body: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as Error).message).toContain(`MNEMO_OUTBOUND_ALLOW=127.0.0.1:${targetPort}`);
    expect(hits).toEqual([]);
    expect(hopHits.length).toBeGreaterThan(0);
  });

  it('refuses a redirect to the metadata address and to another scheme', async () => {
    const f = createGuardedFetch(createOutboundPolicy(`127.0.0.1:${hopPort}`));
    await expect(f(hopUrl('http://169.254.169.254/latest/meta-data/'))).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(f(hopUrl('file:///etc/passwd'))).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it('follows redirects between allowed targets like fetch does (303 → GET, 307 keeps the body, auth stays at its origin)', async () => {
    const f = createGuardedFetch(createOutboundPolicy('127.0.0.1'));
    hits.length = 0;
    const r303 = await f(hopUrl(`http://127.0.0.1:${targetPort}/a`, 303), {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer s' },
    });
    expect(await r303.text()).toBe('got GET ');
    expect(r303.url).toBe(`http://127.0.0.1:${targetPort}/a`);
    const r307 = await f(hopUrl(`http://127.0.0.1:${targetPort}/b`, 307), { method: 'POST', body: 'payload' });
    expect(await r307.text()).toBe('got POST payload');
    expect(hits.map((h) => h.auth)).toEqual([undefined, undefined]);
    const manual = await f(hopUrl(`http://127.0.0.1:${targetPort}/c`), { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(`http://127.0.0.1:${targetPort}/c`);
  });

  it('connects to the address it checked, never resolving the name a second time', async () => {
    let lookups = 0;
    const resolve = async (host: string) => {
      lookups++;
      // A rebinding resolver: the first answer is the allowed address, any later one would point elsewhere.
      return host === 'rebind.test' && lookups === 1 ? ['127.0.0.1'] : ['10.9.9.9'];
    };
    const f = createGuardedFetch(createOutboundPolicy(`127.0.0.1:${targetPort}`), resolve);
    const res = await f(`http://rebind.test:${targetPort}/pinned`);
    expect(await res.text()).toBe('got GET ');
    expect(lookups).toBe(1);
  });

  it('hands out a decoded body, as fetch does', async () => {
    const f = createGuardedFetch(createOutboundPolicy('127.0.0.1'));
    expect(await (await f(`http://127.0.0.1:${targetPort}/gz`)).text()).toBe('unzipped');
  });

  it('refuses plain loopback with an empty allow-list', async () => {
    const f = createGuardedFetch(createOutboundPolicy());
    hits.length = 0;
    await expect(f(`http://127.0.0.1:${targetPort}/`)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(f(`http://localhost:${targetPort}/`)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(hits).toEqual([]);
  });
});
