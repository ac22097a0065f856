// Builds the process logger; secrets (authorization headers, API keys, provider keys) never reach the output.
import pino, { type DestinationStream, type Logger } from 'pino';

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

export function createLogger(o: { level: string }, destination?: DestinationStream): Logger {
  const options = { level: o.level, base: { service: 'mnemo' }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
  return destination ? pino(options, destination) : pino(options);
}
