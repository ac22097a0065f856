// An HTTP endpoint on 127.0.0.1 that records the JSON bodies POSTed to it: the target of a run's callback_url.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CallbackReceiver = { url: string; received: any[]; close(): Promise<void> };

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: any[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
