// A fake web for the web tools: pages, a SearXNG JSON API and a Tavily-shaped search API, on 127.0.0.1.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeWebRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: string };
export type FakeWeb = { url: string; requests: FakeWebRequest[]; close(): Promise<void> };

export const ARTICLE_HTML = `<!doctype html><html><head><title>Otter facts</title><script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Otter facts</h1>
<p>Sea otters hold hands while they sleep so that they do not drift apart. This is one of the best known facts about them,
and it is true for rafts of many otters floating together in kelp forests along the coast.</p>
<p>They keep a favourite stone in a pouch of skin under the forearm and use it to crack open shellfish.
Read more at <a href="https://example.org/otters">the otter page</a>.</p>
<p>An adult sea otter eats about a quarter of its body weight every day to keep warm in cold water, since it has no
blubber and relies on the densest fur of any animal.</p></article>
<footer>Copyright</footer></body></html>`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeWeb(): Promise<FakeWeb> {
  const requests: FakeWebRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, headers: req.headers, body });
    if (url.pathname === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE_HTML);
    } else if (url.pathname === '/plain') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('just some plain text');
    } else if (url.pathname === '/huge') {
      // Streams far more than any limit, in small pieces, until the client stops reading.
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const push = () => {
        while (sent < 50 * 1024 * 1024 && res.write('x'.repeat(16 * 1024))) sent += 16 * 1024;
        if (sent < 50 * 1024 * 1024) res.once('drain', push);
        else res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      push();
    } else if (url.pathname === '/slow') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>starting');
      // Never finishes; the client's time limit must end it.
    } else if (url.pathname === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100));
    } else if (url.pathname === '/searxng/search') {
      const q = url.searchParams.get('q') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          query: q,
          number_of_results: 2,
          results: [
            { url: 'https://example.org/a', title: `SearXNG first for ${q}`, content: 'first snippet', engine: 'x' },
            { url: 'https://example.org/b', title: 'SearXNG second', content: 'second snippet', publishedDate: '2026-01-02' },
          ],
        }),
      );
    } else if (url.pathname === '/tavily/search' && req.method === 'POST') {
      if (req.headers.authorization !== 'Bearer tvly-test') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":{"error":"Unauthorized"}}');
        return;
      }
      const q = (JSON.parse(body) as { query: string }).query;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          query: q,
          results: [{ title: `Tavily hit for ${q}`, url: 'https://example.com/t', content: 'tavily snippet', score: 0.9 }],
        }),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
