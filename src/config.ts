// The one place that reads process.env: parse, validate, freeze.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

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
  MNEMO_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  MNEMO_DEFAULT_MODEL: optionalString,
  MNEMO_DEFAULT_EMBEDDING: optionalString,
  MNEMO_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  MNEMO_STRICT_COMMITS: z.enum(['0', '1', 'false', 'true']).default('0'),
  // Organizations and API keys: requests per minute per key (0 = off; default 600 with MNEMO_API_KEY set, else off).
  MNEMO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
});

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  apiKey: string | undefined;
  bodyLimitBytes: number;
  defaultModel: string | undefined;
  defaultEmbedding: string | undefined;
  workers: number;
  /** Every statement of a turn waits for its WAL flush (default: one flush per turn, before the reply). */
  strictCommits: boolean;
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  anthropic: { apiKey: string | undefined; baseUrl: string | undefined };
  ollama: { baseUrl: string | undefined };
  // Organizations and API keys
  /** Requests per minute per API key (per client address without one); 0 = no limit. */
  rateLimitPerMinute: number;
}>;

export class ConfigError extends Error {}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
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
    strictCommits: e.MNEMO_STRICT_COMMITS === '1' || e.MNEMO_STRICT_COMMITS === 'true',
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
    ollama: { baseUrl: e.OLLAMA_BASE_URL },
    // Organizations and API keys
    rateLimitPerMinute: e.MNEMO_RATE_LIMIT_PER_MINUTE ?? (e.MNEMO_API_KEY ? 600 : 0),
  });
}
