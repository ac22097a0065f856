// The loop benchmark's model: an OpenAI-compatible chat-completions endpoint in its own process (as a real model
// server would be), so its work does not run on the event loop being measured. It is deliberately minimal (plain
// node:http, one JSON.parse, a fixed reply shape) because on a 2-core machine its CPU is taken from the server and the
// database; the bench reports its CPU per step separately. Prints its base URL, then serves until stdin closes.
// Plain text for ordinary messages; for a message starting with argv[2] a memory_rethink call first, then text
// (a 2-step turn). POST /embeddings answers a cheap hashed bag-of-words vector (1536 numbers) for each input, and
// GET /models lists the two models the benches use.
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

const DIM = 1536;

/** Each word adds to 8 dimensions picked by its hash; normalised, 5 decimals (cheap, deterministic). */
function embed(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619) >>> 0;
    for (let k = 0; k < 8; k++) {
      h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
      v[h % DIM] = (v[h % DIM] ?? 0) + (h & 1 ? 1 : -1);
    }
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / n) * 1e5) / 1e5);
}

function embeddings(body: { model: string; input: string | string[] }): unknown {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  return {
    object: 'list',
    model: body.model,
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })),
    usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
  };
}

const MODELS = {
  object: 'list',
  data: ['gpt-4o-mini', 'text-embedding-3-small'].map((id) => ({ id, object: 'model', owned_by: 'bench' })),
};

function answer(method: string | undefined, url: string, raw: string): unknown {
  if (method === 'GET' && url.endsWith('/models')) return MODELS;
  if (method !== 'POST') return undefined;
  if (url.endsWith('/chat/completions')) return reply(JSON.parse(raw) as Body);
  if (url.endsWith('/embeddings')) return embeddings(JSON.parse(raw) as { model: string; input: string | string[] });
  return undefined;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = answer(req.method, req.url ?? '', Buffer.concat(chunks).toString('utf8'));
    if (body === undefined) return void res.writeHead(404).end('{}');
    const out = JSON.stringify(body);
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
