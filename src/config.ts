// The one place that reads process.env: parse, validate, freeze.
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isLoopbackName } from './http/loopback-host.js';
import { parseOutboundAllow } from './net/outbound-policy.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.refine((v) => v === undefined || URL.canParse(v), {
  message: 'must be a URL such as http://localhost:11434',
});

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8283),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalUrl,
  MNEMO_DATA_DIR: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MNEMO_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl,
  OLLAMA_BASE_URL: optionalUrl,
  MNEMO_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  MNEMO_DEFAULT_MODEL: optionalString,
  MNEMO_DEFAULT_EMBEDDING: optionalString,
  MNEMO_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  MNEMO_STRICT_COMMITS: z.enum(['0', '1', 'false', 'true']).default('0'),
  // Safe by default (edge): browser origins allowed by CORS; listening beyond loopback without an API key.
  MNEMO_CORS_ORIGINS: optionalString.refine((v) => v === undefined || corsOriginList(v).every(isExactOrigin), {
    message: 'must be a comma-separated list of exact origins such as https://app.example.com (no "*", no path)',
  }),
  MNEMO_ALLOW_INSECURE: z.enum(['', '0', '1', 'false', 'true']).default('0'),
  // Safe by default (outbound): local MCP processes and the outbound-URL policy.
  MNEMO_ALLOW_MCP_STDIO: z.enum(['0', '1', 'false', 'true']).default('0'),
  MNEMO_MCP_STDIO_USER: z
    .string()
    .regex(/^\d+(:\d+)?$/, 'must be uid or uid:gid, such as 65534:65534')
    .default('65534:65534'),
  MNEMO_OUTBOUND_ALLOW: z
    .string()
    .default('')
    .refine((v) => canParseAllow(v), { message: 'must be comma-separated hosts, host:port entries or CIDRs' }),
  MNEMO_CALLBACK_TIMEOUT_MS: z.coerce.number().int().positive().max(600_000).default(10_000),
  PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),
  LANG: optionalString,
  // models: overall deadline of one model call, retries included
  MNEMO_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  // bounded work: size limits on message input, model replies and tool returns
  MNEMO_MAX_MESSAGE_CHARS: z.coerce.number().int().positive().default(100_000),
  MNEMO_MAX_REPLY_CHARS: z.coerce.number().int().positive().default(100_000),
  MNEMO_MAX_TOOL_RETURN_CHARS: z.coerce.number().int().positive().default(100_000),
  // Organizations and API keys: requests per minute per key (0 = off; default 600 with MNEMO_API_KEY set, else off).
  MNEMO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  // Letta Code: web search backends for web_search, and the secret that encrypts provider (BYOK) keys at rest
  MNEMO_SEARXNG_URL: optionalUrl,
  MNEMO_TAVILY_API_KEY: optionalString,
  MNEMO_TAVILY_BASE_URL: optionalUrl,
  MNEMO_SECRET_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters, e.g. the output of `openssl rand -hex 32`',
  }),
  // Git-backed memory (memfs): on/off, where the per-process repository cache lives, size of one push or fetch.
  MNEMO_GIT_MEMORY: z.enum(['0', '1', 'false', 'true']).default('1'),
  MNEMO_GIT_CACHE_DIR: optionalString,
  MNEMO_GIT_MAX_PUSH_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  // Folders and files: largest accepted upload in bytes (default 50 MB).
  MNEMO_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(2_000_000_000)
    .default(50 * 1024 * 1024),
  // Honest models: how long a provider's model list is probed for and how long an answer is reused.
  MNEMO_MODEL_LIST_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(3_000),
  MNEMO_MODEL_LIST_TTL_MS: z.coerce.number().int().positive().default(300_000),
  // Operator logs: pretty lines on a terminal, JSON lines otherwise, unless set.
  MNEMO_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  // Embedded database footprint: PGlite's page cache (PostgreSQL shared_buffers), e.g. 16MB or 256MB.
  MNEMO_PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'must be a size such as 16MB, 256MB or 1GB')
    .default('16MB'),
  // Embedded database off the request thread: PGlite in a worker thread (false: in the server's own thread).
  MNEMO_PGLITE_WORKER: z.enum(['0', '1', 'false', 'true']).default('1'),
});

function canParseAllow(v: string): boolean {
  try {
    parseOutboundAllow(v);
    return true;
  } catch {
    return false;
  }
}

/** The environment, validated, as the typed settings the rest of the server reads. */
const ConfigSchema = EnvSchema.transform((e) => ({
  port: e.PORT,
  host: e.HOST,
  databaseUrl: e.DATABASE_URL,
  dataDir: e.MNEMO_DATA_DIR ?? join(homedir(), '.mnemo'),
  logLevel: e.LOG_LEVEL,
  apiKey: e.MNEMO_API_KEY,
  bodyLimitBytes: e.MNEMO_BODY_LIMIT_BYTES,
  defaultModel: e.MNEMO_DEFAULT_MODEL,
  defaultEmbedding: e.MNEMO_DEFAULT_EMBEDDING,
  workers: e.MNEMO_WORKERS,
  /** Every statement of a turn waits for its WAL flush (default: one flush per turn, before the reply). */
  strictCommits: isOn(e.MNEMO_STRICT_COMMITS),
  openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
  anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
  ollama: { baseUrl: e.OLLAMA_BASE_URL },
  /** Exact browser origins CORS allows; empty = CORS off. */
  corsOrigins: Object.freeze(e.MNEMO_CORS_ORIGINS ? corsOriginList(e.MNEMO_CORS_ORIGINS) : []),
  /** MNEMO_ALLOW_INSECURE: listen beyond loopback without an API key, and answer any Host header. */
  allowInsecure: isOn(e.MNEMO_ALLOW_INSECURE),
  /** MNEMO_ALLOW_MCP_STDIO: stdio MCP servers (commands started by the server) may be created and started. */
  allowMcpStdio: isOn(e.MNEMO_ALLOW_MCP_STDIO),
  /** The user a stdio MCP server runs as when this server runs as root. */
  mcpStdioUser: uidGid(e.MNEMO_MCP_STDIO_USER),
  /** The only parts of our environment a stdio MCP server gets (plus a fresh HOME and its configured env). */
  mcpStdioBaseEnv: { PATH: e.PATH, ...(e.LANG ? { LANG: e.LANG } : {}) },
  /** MNEMO_OUTBOUND_ALLOW, raw entries: private/loopback targets the operator allows for caller-given URLs. */
  outboundAllow: splitList(e.MNEMO_OUTBOUND_ALLOW),
  callbackTimeoutMs: e.MNEMO_CALLBACK_TIMEOUT_MS,
  // models
  /** Overall deadline of one model call (all attempts and backoff waits); then the turn stops with llm_api_error. */
  llmTimeoutMs: e.MNEMO_LLM_TIMEOUT_MS,
  // bounded work
  /** Longest text of one input message (`input`, `messages[].content`) a send route accepts; longer gets 413. */
  maxMessageChars: e.MNEMO_MAX_MESSAGE_CHARS,
  /** Longest model reply part (text, reasoning, one tool call's arguments) stored; the rest is cut with a marker. */
  maxReplyChars: e.MNEMO_MAX_REPLY_CHARS,
  /** Ceiling on any stored tool return (and its stdout/stderr), above each tool's own return_char_limit. */
  maxToolReturnChars: e.MNEMO_MAX_TOOL_RETURN_CHARS,
  // Organizations and API keys
  /** Requests per minute per API key (per client address without one); 0 = no limit. */
  rateLimitPerMinute: e.MNEMO_RATE_LIMIT_PER_MINUTE ?? (e.MNEMO_API_KEY ? 600 : 0),
  // Letta Code
  /** Backends of the web_search tool (SearXNG wins when both are set); none = the tool says search is off. */
  webSearch: {
    searxngUrl: e.MNEMO_SEARXNG_URL,
    tavily: e.MNEMO_TAVILY_API_KEY
      ? { apiKey: e.MNEMO_TAVILY_API_KEY, baseUrl: e.MNEMO_TAVILY_BASE_URL ?? 'https://api.tavily.com' }
      : undefined,
  },
  /** MNEMO_SECRET_KEY: encrypts provider API keys at rest; without it providers cannot be created. */
  secretKey: e.MNEMO_SECRET_KEY,
  /** Git-backed memory: served at /v1/git/<agent-id>/state.git unless turned off; cache under this directory. */
  gitMemory: Object.freeze({
    enabled: isOn(e.MNEMO_GIT_MEMORY),
    cacheDir: e.MNEMO_GIT_CACHE_DIR ?? tmpdir(),
    maxPushBytes: e.MNEMO_GIT_MAX_PUSH_BYTES,
  }),
  // Folders and files
  /** Largest file accepted by POST /v1/folders/{id}/upload (413 above). */
  maxUploadBytes: e.MNEMO_MAX_UPLOAD_BYTES,
  // Honest models
  /** Providers' model lists: probe timeout and freshness (stale lists are refreshed in the background). */
  modelLists: Object.freeze({ timeoutMs: e.MNEMO_MODEL_LIST_TIMEOUT_MS, ttlMs: e.MNEMO_MODEL_LIST_TTL_MS }),
  // Operator logs
  /** MNEMO_LOG_FORMAT: `auto` = pretty when stdout is a terminal, JSON otherwise. */
  logFormat: e.MNEMO_LOG_FORMAT,
  // Embedded database footprint
  /** PGlite's page cache: resident from the start, so it is most of the embedded database's idle memory. */
  pgliteSharedBuffers: e.MNEMO_PGLITE_SHARED_BUFFERS,
  // Embedded database off the request thread
  /** PGlite runs in a worker thread, so HTTP and JSON work go on while a statement runs (false: in this thread). */
  pgliteWorker: isOn(e.MNEMO_PGLITE_WORKER),
}));

export type Config = Readonly<z.output<typeof ConfigSchema>>;

export class ConfigError extends Error {}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  if (!c.apiKey && !c.allowInsecure && !isLoopbackName(c.host)) {
    throw new ConfigError(
      `Refusing to listen on HOST=${c.host} without MNEMO_API_KEY: anyone who can reach that address could drive this ` +
        'server. Set MNEMO_API_KEY (clients then send "Authorization: Bearer <key>"), or listen on 127.0.0.1, ' +
        'or set MNEMO_ALLOW_INSECURE=1 to accept the risk.',
    );
  }
  return Object.freeze(parsed.data);
}

function corsOriginList(v: string): string[] {
  return v
    .split(',')
    .map((o) => o.trim().replace(/\/$/, '').toLowerCase())
    .filter((o) => o !== '');
}

/** `scheme://host[:port]` and nothing else: what a browser sends as Origin. */
function isExactOrigin(o: string): boolean {
  if (!URL.canParse(o)) return false;
  const u = new URL(o);
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o.toLowerCase() && !o.includes('*');
}

function uidGid(v: string): { uid: number; gid: number } {
  const [uid, gid] = v.split(':').map(Number) as [number, number | undefined];
  return { uid, gid: gid ?? uid };
}

function isOn(v: string): boolean {
  return v === '1' || v === 'true';
}

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
