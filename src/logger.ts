// Builds the process logger; secrets (authorization headers, API keys, provider keys) never reach the output.
import pino, { type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type { PrettyOptions } from 'pino-pretty';

/** Paths pino replaces with "[REDACTED]" wherever such an object is logged (one level of nesting for wildcards). */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'key',
  '*.key',
  'keyHash',
  '*.keyHash',
  'key_hash',
  '*.key_hash',
  'authToken',
  '*.authToken',
  'auth_token',
  '*.auth_token',
  'password',
  '*.password',
  'config.apiKey',
  'config.openai.apiKey',
  'config.anthropic.apiKey',
  'openai.apiKey',
  'anthropic.apiKey',
  'secrets[*].value',
  '*.secrets[*].value',
];

type LogFormat = 'auto' | 'pretty' | 'json';

export type LoggerOptions = {
  level: string;
  /** `auto`: pretty lines when stdout is a terminal, JSON lines otherwise (files, pipes, log collectors). */
  format?: LogFormat;
  isTty?: boolean;
};

export function createLogger(o: LoggerOptions, destination?: DestinationStream): Logger {
  const options = { level: o.level, base: { service: 'mnemo' }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
  const pretty = o.format === 'pretty' || (o.format === 'auto' && (o.isTty ?? process.stdout.isTTY === true));
  // pino-pretty as a stream in this thread (no transport worker): one line per record, fields after the message.
  const out = pretty ? prettyStream(destination) : destination;
  return out ? pino(options, out) : pino(options);
}

/** Loaded only when wanted: JSON output (servers, containers) never pays for the formatter. */
function prettyStream(destination?: DestinationStream): DestinationStream {
  const pinoPretty: (o: PrettyOptions) => DestinationStream = createRequire(import.meta.url)('pino-pretty');
  return pinoPretty({
    destination: destination ?? 1,
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
    sync: true,
  });
}
