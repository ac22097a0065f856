// The pieces behind start-up messages and warnings: which settings warn, how PostgreSQL failures read, and the
// log format switch.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { byokWarning, configWarnings } from '../../src/startup/config-warnings.js';
import { describePostgres, postgresError } from '../../src/startup/database-check.js';
import { explainStartupError } from '../../src/startup/preflight.js';

const settings = (w: { setting: string }[]) => w.map((x) => x.setting);

describe('configuration warnings', () => {
  it('warns when no model provider is configured, and not when one is', () => {
    expect(settings(configWarnings(loadConfig({})))).toEqual(['OPENAI_API_KEY']);
    expect(configWarnings(loadConfig({ OLLAMA_BASE_URL: 'http://127.0.0.1:11434' }))).toEqual([]);
    expect(configWarnings(loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' }))).toEqual([]);
  });

  it('warns about risky settings, each naming its variable', () => {
    const c = loadConfig({
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://10.0.0.5:8000/v1',
      HOST: '0.0.0.0',
      MNEMO_ALLOW_INSECURE: '1',
      MNEMO_ALLOW_MCP_STDIO: '1',
      MNEMO_OUTBOUND_ALLOW: '10.1.0.0/16',
      MNEMO_DEFAULT_MODEL: 'anthropic/claude-sonnet-4-5',
      LOG_LEVEL: 'debug',
    });
    const w = configWarnings(c);
    expect(settings(w)).toEqual([
      'MNEMO_ALLOW_INSECURE',
      'MNEMO_ALLOW_MCP_STDIO',
      'MNEMO_OUTBOUND_ALLOW',
      'OPENAI_BASE_URL',
      'MNEMO_DEFAULT_MODEL',
      'LOG_LEVEL',
    ]);
    expect(w[0]?.message).toContain('0.0.0.0:8283');
    expect(w[1]?.message).toContain('65534:65534');
    expect(w.map((x) => x.message).join('\n')).not.toContain('sk-x');
  });

  it('warns about a short admin key', () => {
    expect(settings(configWarnings(loadConfig({ OPENAI_API_KEY: 'k', MNEMO_API_KEY: 'hunter2' })))).toEqual(['MNEMO_API_KEY']);
    expect(configWarnings(loadConfig({ OPENAI_API_KEY: 'k', MNEMO_API_KEY: 'a'.repeat(40) }))).toEqual([]);
  });

  it('warns about stored organization providers without MNEMO_SECRET_KEY', () => {
    expect(byokWarning(2, undefined)?.message).toMatch(/2 organization provider\(s\).*MNEMO_SECRET_KEY/);
    expect(byokWarning(2, 'x'.repeat(32))).toBeUndefined();
    expect(byokWarning(0, undefined)).toBeUndefined();
  });
});

describe('PostgreSQL failures', () => {
  const url = 'postgres://app:pw@db.internal:6543/agents';
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('names the place without the password', () => {
    expect(describePostgres(url)).toEqual({ where: 'db.internal:6543', user: 'app', database: 'agents' });
    expect(describePostgres('postgres://u@localhost/x?host=/var/run/postgresql').where).toBe('/var/run/postgresql/.s.PGSQL.5432');
  });

  it('reads a refused connection inside an AggregateError (one attempt per address)', () => {
    const err = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:6543'), { code: 'ECONNREFUSED' })], '');
    expect(postgresError(url, err)?.message).toBe(
      'cannot reach PostgreSQL at db.internal:6543: connection refused. Is PostgreSQL running? Check DATABASE_URL',
    );
  });

  it('explains missing pgvector and missing rights to create it', () => {
    const missing = pgError('58P01', 'could not open extension control file "/usr/share/postgresql/16/extension/vector.control"');
    expect(postgresError(url, missing)?.message).toMatch(/db\.internal:6543 \(DATABASE_URL\) has no pgvector extension: install it/);
    const denied = pgError('42501', 'permission denied to create extension "vector"');
    expect(postgresError(url, denied)?.message).toMatch(/user "app" may not create the pgvector extension.*CREATE EXTENSION vector;/);
  });

  it('leaves a query error that is not a setting problem alone', () => {
    expect(postgresError(url, pgError('23505', 'duplicate key value'))).toBeUndefined();
    const c = loadConfig({ DATABASE_URL: url });
    expect(explainStartupError(pgError('23505', 'duplicate key value'), c)).toBeUndefined();
    expect(explainStartupError(pgError('28P01', 'password authentication failed for user "app"'), c)).toEqual({
      message: expect.stringContaining('Check the user name and password in DATABASE_URL'),
      exitCode: 1,
    });
  });
});

describe('log format', () => {
  function sink() {
    const out: string[] = [];
    const stream = new Writable({
      write(c, _e, done) {
        out.push(String(c));
        done();
      },
    });
    return { out, stream };
  }

  it('writes JSON lines when not on a terminal, pretty lines when asked, redacting keys either way', () => {
    const json = sink();
    createLogger({ level: 'info', format: 'auto', isTty: false }, json.stream).info({ authorization: 'Bearer s3cret' }, 'hello');
    expect(JSON.parse(json.out.join(''))).toMatchObject({ msg: 'hello', authorization: '[REDACTED]' });

    const pretty = sink();
    createLogger({ level: 'info', format: 'pretty' }, pretty.stream).info(
      { route: '/v1/agents/', authorization: 'Bearer s3cret' },
      'hello',
    );
    expect(pretty.out.join('')).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello \{"route":"\/v1\/agents\/","authorization":"\[REDACTED\]"\}\n$/,
    );

    const auto = sink();
    createLogger({ level: 'info', format: 'auto', isTty: true }, auto.stream).info('on a terminal');
    expect(auto.out.join('')).toContain('INFO: on a terminal');
  });

  it('reads MNEMO_LOG_FORMAT', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ MNEMO_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ MNEMO_LOG_FORMAT: 'xml' })).toThrow(/MNEMO_LOG_FORMAT/);
  });
});
