// Secrets never reach the log: authorization headers, API keys and provider keys are redacted by the logger itself.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level: 'info' }, stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('redacts authorization headers, API keys and provider keys wherever they are logged', () => {
    const { log, text } = capture();
    log.info(
      { req: { method: 'GET', url: '/v1/agents/', headers: { authorization: 'Bearer mnemo_sk_SECRET1', 'x-api-key': 'SECRET2' } } },
      'request',
    );
    log.info({ headers: { authorization: 'Bearer SECRET3' } }, 'outbound');
    log.info({ apiKey: 'SECRET4', provider: { api_key: 'SECRET5' }, created: { key: 'mnemo_sk_SECRET6', name: 'kept' } }, 'objects');
    const config = loadConfig({ MNEMO_API_KEY: 'SECRET7', OPENAI_API_KEY: 'sk-SECRET8', ANTHROPIC_API_KEY: 'SECRET9' });
    log.info({ config }, 'config');
    log.info({ agent: { secrets: [{ key: 'TOKEN', value: 'SECRET10' }] } }, 'agent');
    const out = text();
    for (let i = 1; i <= 10; i++) expect(out).not.toContain(`SECRET${i}`);
    expect(out).toContain('[REDACTED]');
    // What is not secret stays readable.
    expect(out).toContain('/v1/agents/');
    expect(out).toContain('kept');
    expect(out).toContain('"port":8283');
  });
});
