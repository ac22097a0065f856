// The loop benchmark's model: an OpenAI-compatible chat-completions endpoint in its own process (as a real model
// server would be), so its work does not run on the event loop being measured. It is deliberately minimal (plain
// node:http, one JSON.parse, a fixed reply shape) because on a 2-core machine its CPU is taken from the server and the
// database; the bench reports its CPU per step separately. Prints its base URL, then serves until stdin closes.
// Plain text for ordinary messages; for a message starting with argv[2] a memory_rethink call first, then text
// (a 2-step turn).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const TOOL_TEXT = process.argv[2] ?? 'please note';
let seq = 0;

type Body = { model: string; messages: { role: string; content?: unknown }[] };

function reply(body: Body): unknown {
  const last = body.messages.at(-1)!;
  const id = `chatcmpl-${++seq}`;
  const usage = (completion: number) => ({ prompt_tokens: 100, completion_tokens: completion, total_tokens: 100 + completion });
  const done = (message: unknown, finish: string, completion: number) => ({
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: usage(completion),
  });
  if (last.role === 'tool') return done({ role: 'assistant', content: 'noted' }, 'stop', 2);
  const text = typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
  if (text.includes(TOOL_TEXT)) {
    const args = JSON.stringify({ label: 'scratch', new_memory: `note ${text.slice(-6, -2)}` });
    return done(
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: `call_${seq}`, type: 'function', function: { name: 'memory_rethink', arguments: args } }],
      },
      'tool_calls',
      10,
    );
  }
  return done({ role: 'assistant', content: 'ok' }, 'stop', 1);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end('{}');
    const out = JSON.stringify(reply(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ openaiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, pid: process.pid })}\n`,
  );
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
