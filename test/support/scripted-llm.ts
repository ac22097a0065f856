// A scripted LLM server for tests: a real HTTP server on 127.0.0.1 that answers the OpenAI and Anthropic wire
// formats closely enough for their official SDK clients. Kept in one file because tests import it as a unit.
//
// Behaviour worth knowing:
// - Chat requests (POST /v1/chat/completions, POST /v1/messages) take the next queued step (`enqueue`), else ask the
//   handler (`setHandler`), else answer the plain text "ok".
// - POST /v1/embeddings returns a deterministic hashed bag-of-words embedding: each lower-cased word adds ±1 to one
//   of `dimensions` (default 64) buckets chosen by its FNV-1a hash, then the vector is L2-normalised. Texts sharing
//   words therefore have a positive cosine similarity; an empty text maps to the unit vector e0.
// - `setEmbeddingQuirks` makes embeddings misbehave like some compatible servers: answer floats or base64 whatever was
//   asked, or return other vectors (zeros, a wrong size, chosen ones).
// - A step with `hang` never answers: the request stays open until the client gives up (`closedByClient` records it).
// - GET /v1/models answers in Anthropic's shape when the request carries an `anthropic-version` header.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedToolCall = { name: string; arguments: Record<string, unknown> | string; id?: string };
export type ScriptedError = {
  status: number;
  /** OpenAI `code` / Anthropic `error.type`; `context_length_exceeded` gets a realistic message in both formats. */
  type?: string;
  message?: string;
  /** Replaces the whole JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
};
export type ScriptedStep = {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  reasoning?: string;
  thinkingSignature?: string;
  /** Anthropic only: an opaque redacted_thinking block placed before the text. */
  redactedThinking?: string;
  usage?: { promptTokens?: number; completionTokens?: number; cachedInputTokens?: number; cacheWriteTokens?: number };
  /** Held before the response headers are sent. */
  delayMs?: number;
  /** Never answer: hold the request until the client closes it. */
  hang?: boolean;
  /** Held between stream chunks (stalls a stream midway when large). */
  streamDelayMs?: number;
  error?: ScriptedError;
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  /** OpenAI format quirks of compatible servers. */
  omitToolCallIds?: boolean;
  omitUsage?: boolean;
  reasoningField?: 'reasoning_content' | 'reasoning';
};
export type RecordedRequest = {
  method: string;
  path: string;
  format: 'openai' | 'anthropic';
  body: any;
  headers: IncomingMessage['headers'];
  /** Set when the client closed the connection before any answer (a `hang` step). */
  closedByClient?: boolean;
};
export type EmbeddingQuirks = {
  /** Answer in this encoding whatever `encoding_format` the request asked for. */
  encoding?: 'float' | 'base64';
  /** The vector for a text instead of the hashed one (`dims` = what the request asked for or the default). */
  vector?: (text: string, dims: number) => number[];
};
export type ScriptedLlm = {
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  models: { openai: string[]; anthropic: string[] };
  enqueue(...steps: ScriptedStep[]): void;
  setHandler(fn: ((req: RecordedRequest) => ScriptedStep | undefined) | undefined): void;
  /** Errors for the next embeddings requests, in order. */
  enqueueEmbeddingError(...errors: ScriptedError[]): void;
  /** Until reset: embeddings answered with these quirks. */
  setEmbeddingQuirks(q: EmbeddingQuirks | undefined): void;
  reset(): void;
  close(): Promise<void>;
};

const DEFAULT_DIMENSIONS = 64;
let counter = 0;
const nextId = (prefix: string) => `${prefix}${(++counter).toString(36).padStart(8, '0')}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------- embeddings ----------

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

export function hashedEmbedding(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)) {
    const h = fnv1a(word);
    const i = h % dimensions;
    v[i] = (v[i] ?? 0) + ((h & 0x80000000) !== 0 ? -1 : 1);
  }
  const norm = Math.hypot(...v);
  if (norm === 0) return v.map((_, i) => (i === 0 ? 1 : 0));
  return v.map((x) => x / norm);
}

function embeddingsBody(body: any, quirks: EmbeddingQuirks = {}) {
  const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
  const dims = body.dimensions ?? DEFAULT_DIMENSIONS;
  const encoding = quirks.encoding ?? (body.encoding_format === 'base64' ? 'base64' : 'float');
  const data = inputs.map((text, index) => {
    const vec = quirks.vector?.(String(text), dims) ?? hashedEmbedding(String(text), dims);
    // The openai SDK asks for base64 (little-endian float32) unless told otherwise.
    const embedding = encoding === 'base64' ? Buffer.from(new Float32Array(vec).buffer).toString('base64') : vec;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((n, t) => n + String(t).split(/\s+/).length, 0);
  return { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

// ---------- shared step helpers ----------

const argsString = (c: ScriptedToolCall) => (typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments));
function argsObject(c: ScriptedToolCall): Record<string, unknown> {
  if (typeof c.arguments !== 'string') return c.arguments;
  try {
    return JSON.parse(c.arguments);
  } catch {
    return {};
  }
}

/** Splits a string into about `parts` pieces so deltas arrive in several chunks. */
function pieces(s: string, parts = 3): string[] {
  if (s.length <= 1) return s ? [s] : [];
  const size = Math.ceil(s.length / parts);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function usageOf(step: ScriptedStep, body: any) {
  const promptTokens = step.usage?.promptTokens ?? Math.ceil(JSON.stringify(body.messages ?? '').length / 4);
  const out = (step.text ?? '') + (step.reasoning ?? '') + (step.toolCalls ?? []).map(argsString).join('');
  const completionTokens = step.usage?.completionTokens ?? Math.ceil(out.length / 4) + 1;
  return { promptTokens, completionTokens, cached: step.usage?.cachedInputTokens, cacheWrite: step.usage?.cacheWriteTokens };
}

// ---------- OpenAI format ----------

function openAiFinish(step: ScriptedStep) {
  return step.finishReason ?? (step.toolCalls?.length ? 'tool_calls' : 'stop');
}

function openAiUsage(step: ScriptedStep, body: any) {
  const u = usageOf(step, body);
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    ...(u.cached !== undefined && { prompt_tokens_details: { cached_tokens: u.cached } }),
  };
}

function openAiToolCalls(step: ScriptedStep) {
  return (step.toolCalls ?? []).map((c, i) => ({
    id: step.omitToolCallIds ? '' : (c.id ?? `call_${nextId('')}${i}`),
    type: 'function',
    function: { name: c.name, arguments: argsString(c) },
  }));
}

function openAiCompletion(step: ScriptedStep, body: any) {
  const calls = openAiToolCalls(step);
  const message: Record<string, unknown> = { role: 'assistant', content: step.text ?? (calls.length ? null : '') };
  if (calls.length) message.tool_calls = calls;
  if (step.reasoning) message[step.reasoningField ?? 'reasoning_content'] = step.reasoning;
  return {
    id: nextId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: openAiFinish(step), logprobs: null }],
    ...(!step.omitUsage && { usage: openAiUsage(step, body) }),
  };
}

function openAiChunks(step: ScriptedStep, body: any): unknown[] {
  const base = { id: nextId('chatcmpl-'), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const chunk = (delta: unknown, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const out: unknown[] = [chunk({ role: 'assistant', content: '' })];
  const field = step.reasoningField ?? 'reasoning_content';
  for (const p of pieces(step.reasoning ?? '')) out.push(chunk({ [field]: p }));
  for (const p of pieces(step.text ?? '')) out.push(chunk({ content: p }));
  openAiToolCalls(step).forEach((c, index) => {
    const head = { index, ...(c.id && { id: c.id }), type: 'function', function: { name: c.function.name, arguments: '' } };
    out.push(chunk({ tool_calls: [head] }));
    for (const p of pieces(c.function.arguments)) out.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  out.push(chunk({}, openAiFinish(step)));
  if (body.stream_options?.include_usage && !step.omitUsage) out.push({ ...base, choices: [], usage: openAiUsage(step, body) });
  return out;
}

function openAiErrorBody(e: ScriptedError) {
  if (e.body !== undefined) return e.body;
  const overflow = e.type === 'context_length_exceeded';
  const message =
    e.message ??
    (overflow
      ? "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."
      : `scripted error ${e.status}`);
  const type = e.status === 429 ? 'requests' : e.status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: e.type ?? null } };
}

// ---------- Anthropic format ----------

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function anthropicErrorBody(e: ScriptedError) {
  if (e.body !== undefined) return e.body;
  const overflow = e.type === 'context_length_exceeded';
  const type = overflow ? 'invalid_request_error' : (e.type ?? ANTHROPIC_ERROR_TYPES[e.status] ?? 'api_error');
  const message = e.message ?? (overflow ? 'prompt is too long: 210000 tokens > 200000 maximum' : `scripted error ${e.status}`);
  return { type: 'error', error: { type, message } };
}

function anthropicStop(step: ScriptedStep) {
  const map = { stop: 'end_turn', tool_calls: 'tool_use', length: 'max_tokens', content_filter: 'refusal' } as const;
  return step.finishReason ? map[step.finishReason] : step.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function anthropicBlocks(step: ScriptedStep): any[] {
  const blocks: any[] = [];
  if (step.reasoning !== undefined)
    blocks.push({ type: 'thinking', thinking: step.reasoning, signature: step.thinkingSignature ?? `sig-${nextId('')}` });
  if (step.redactedThinking !== undefined) blocks.push({ type: 'redacted_thinking', data: step.redactedThinking });
  if (step.text !== undefined || !step.toolCalls?.length) blocks.push({ type: 'text', text: step.text ?? '' });
  (step.toolCalls ?? []).forEach((c) =>
    blocks.push({ type: 'tool_use', id: c.id ?? nextId('toolu_'), name: c.name, input: argsObject(c) }),
  );
  return blocks;
}

function anthropicUsage(step: ScriptedStep, body: any) {
  const u = usageOf(step, body);
  return {
    input_tokens: u.promptTokens,
    output_tokens: u.completionTokens,
    cache_read_input_tokens: u.cached ?? 0,
    cache_creation_input_tokens: u.cacheWrite ?? 0,
  };
}

function anthropicMessage(step: ScriptedStep, body: any, content = anthropicBlocks(step)) {
  return {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: anthropicStop(step),
    stop_sequence: null,
    usage: anthropicUsage(step, body),
  };
}

function anthropicBlockEvents(block: any, index: number): [string, unknown][] {
  const ev = (delta: unknown): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index, delta }];
  const start = (content_block: unknown): [string, unknown] => [
    'content_block_start',
    { type: 'content_block_start', index, content_block },
  ];
  const out: [string, unknown][] = [];
  if (block.type === 'thinking') {
    out.push(start({ type: 'thinking', thinking: '', signature: '' }));
    for (const p of pieces(block.thinking)) out.push(ev({ type: 'thinking_delta', thinking: p }));
    out.push(ev({ type: 'signature_delta', signature: block.signature }));
  } else if (block.type === 'text') {
    out.push(start({ type: 'text', text: '' }));
    for (const p of pieces(block.text)) out.push(ev({ type: 'text_delta', text: p }));
  } else if (block.type === 'tool_use') {
    out.push(start({ type: 'tool_use', id: block.id, name: block.name, input: {} }));
    for (const p of pieces(JSON.stringify(block.input))) out.push(ev({ type: 'input_json_delta', partial_json: p }));
  } else {
    out.push(start(block));
  }
  out.push(['content_block_stop', { type: 'content_block_stop', index }]);
  return out;
}

function anthropicEvents(step: ScriptedStep, body: any): [string, unknown][] {
  const blocks = anthropicBlocks(step);
  const msg = anthropicMessage(step, body, []);
  const usage = msg.usage;
  const out: [string, unknown][] = [
    ['message_start', { type: 'message_start', message: { ...msg, stop_reason: null, usage: { ...usage, output_tokens: 1 } } }],
    ['ping', { type: 'ping' }],
  ];
  blocks.forEach((b, i) => out.push(...anthropicBlockEvents(b, i)));
  out.push([
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: msg.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
  ]);
  out.push(['message_stop', { type: 'message_stop' }]);
  return out;
}

// ---------- HTTP plumbing ----------

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function sendSse(res: ServerResponse, frames: string[], delayMs: number) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const frame of frames) {
    if (res.destroyed) return;
    res.write(frame);
    if (delayMs > 0) await sleep(delayMs);
  }
  res.end();
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

async function answerChat(res: ServerResponse, rec: RecordedRequest, step: ScriptedStep) {
  if (step.hang) {
    await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', resolve)));
    rec.closedByClient = true;
    return;
  }
  if (step.delayMs) await sleep(step.delayMs);
  if (res.destroyed) return;
  const openai = rec.format === 'openai';
  if (step.error) {
    const body = openai ? openAiErrorBody(step.error) : anthropicErrorBody(step.error);
    return sendJson(res, step.error.status, body, step.error.headers);
  }
  if (!rec.body.stream) return sendJson(res, 200, openai ? openAiCompletion(step, rec.body) : anthropicMessage(step, rec.body));
  const frames = openai
    ? [...openAiChunks(step, rec.body).map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n']
    : anthropicEvents(step, rec.body).map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  await sendSse(res, frames, step.streamDelayMs ?? 0);
}

function modelsBody(llm: ScriptedLlm, anthropic: boolean) {
  if (anthropic) {
    const data = llm.models.anthropic.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
  return { object: 'list', data: llm.models.openai.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })) };
}

/** `host`: the address to listen on (default 127.0.0.1; the compose test uses the Docker bridge's host address). */
export async function startScriptedLlm(opts: { host?: string } = {}): Promise<ScriptedLlm> {
  const host = opts.host ?? '127.0.0.1';
  const queue: ScriptedStep[] = [];
  const embeddingErrors: ScriptedError[] = [];
  let quirks: EmbeddingQuirks | undefined;
  let handler: ((req: RecordedRequest) => ScriptedStep | undefined) | undefined;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const [path = '/'] = (req.url ?? '/').split('?');
    const body = req.method === 'POST' ? await readBody(req) : {};
    const format = path === '/v1/messages' || req.headers['anthropic-version'] ? 'anthropic' : 'openai';
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, format, body, headers: req.headers };
    llm.requests.push(rec);
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelsBody(llm, format === 'anthropic'));
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const err = embeddingErrors.shift();
      return err ? sendJson(res, err.status, openAiErrorBody(err), err.headers) : sendJson(res, 200, embeddingsBody(body, quirks));
    }
    if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/messages')) {
      const step = queue.shift() ?? handler?.(rec) ?? { text: 'ok' };
      return answerChat(res, rec, step);
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found', code: null } });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', code: null } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  const llm: ScriptedLlm = {
    openaiBaseUrl: `http://${host}:${port}/v1`,
    anthropicBaseUrl: `http://${host}:${port}`,
    requests: [],
    models: {
      openai: [
        'gpt-4o-mini',
        'gpt-4o',
        'gpt-4.1',
        'gpt-4.1-mini',
        'gpt-5',
        'gpt-5-mini',
        'text-embedding-3-small',
        'text-embedding-3-large',
      ],
      anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    },
    enqueue: (...steps) => void queue.push(...steps),
    setHandler: (fn) => {
      handler = fn;
    },
    enqueueEmbeddingError: (...errors) => void embeddingErrors.push(...errors),
    setEmbeddingQuirks: (q) => {
      quirks = q;
    },
    reset() {
      quirks = undefined;
      queue.length = 0;
      embeddingErrors.length = 0;
      handler = undefined;
      llm.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return llm;
}
