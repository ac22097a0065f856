import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanFetch } from './lean-fetch.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': String(req.headers['x-test']) });
        return res.end(JSON.stringify({ method: req.method, body }));
      }
      if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify({ zipped: true })));
      }
      if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
        return setTimeout(() => res.end('data: two\n\n'), 20);
      }
      if (req.url === '/stall') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.write('{"partial":'); // never ends
      }
      res.writeHead(404).end('nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('leanFetch', () => {
  it('sends method, headers and body, and gives status, headers and body back', async () => {
    const res = await leanFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('yes');
    expect(await res.json()).toEqual({ method: 'POST', body: '{"a":1}' });
  });

  it('decompresses a compressed reply and reports 404s as responses', async () => {
    expect(await (await leanFetch(`${base}/gzip`)).json()).toEqual({ zipped: true });
    const missing = await leanFetch(`${base}/missing`);
    expect([missing.status, await missing.text()]).toEqual([404, 'nope']);
  });

  it('streams event streams as they arrive', async () => {
    const res = await leanFetch(`${base}/sse`);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('data: one\n\n');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('rejects with an AbortError when aborted mid-reply, and on a refused connection', async () => {
    const ac = new AbortController();
    const p = leanFetch(`${base}/stall`, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(leanFetch('http://127.0.0.1:1/x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
