// Pure pieces of the HTTP boundary: loopback names, hostile text, JSON depth, outage classification, safe details, config.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeDatabaseRejection } from '../../src/db/rejection.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { isLoopbackHostHeader, isLoopbackName } from '../../src/http/loopback-host.js';
import { MAX_DETAIL_CHARS, safeDetail, safeDetailText } from '../../src/text/safe-detail.js';
import { findHostileText, hostileTextProblem, scrubHostileText } from '../../src/text/hostile-text.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../src/text/json-depth.js';

describe('loopback Host headers (DNS-rebinding guard)', () => {
  it('accepts loopback names and addresses with any port', () => {
    for (const h of [
      'localhost',
      'localhost:8283',
      'LOCALHOST:80',
      'app.localhost:3000',
      'localhost.',
      '127.0.0.1',
      '127.0.0.1:8283',
      '127.1.2.3:1',
      '[::1]',
      '[::1]:8283',
      '[::ffff:127.0.0.1]:80',
    ]) {
      expect(isLoopbackHostHeader(h), h).toBe(true);
    }
  });

  it('refuses every other name, a missing header and malformed ones', () => {
    for (const h of [
      undefined,
      '',
      'evil.example',
      'evil.example:8283',
      'localhost.evil.example',
      'localhostx',
      '10.0.0.1:8283',
      '0.0.0.0',
      '[::]:80',
      '[::1',
      '[::1]x',
      '128.0.0.1',
      '127.0.0.1.evil.example',
      '[fe80::1]:80',
    ]) {
      expect(isLoopbackHostHeader(h), String(h)).toBe(false);
    }
  });

  it('tells loopback listen addresses from others', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]'].map(isLoopbackName)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.5', 'example.com'].map(isLoopbackName)).toEqual([false, false, false, false]);
  });
});

describe('hostile text', () => {
  it('names NUL bytes and lone surrogates, and passes paired surrogates and ordinary text', () => {
    expect(hostileTextProblem('a\u0000b')).toBe('contains a NUL byte');
    expect(hostileTextProblem('a\ud800')).toBe('contains a lone UTF-16 surrogate');
    expect(hostileTextProblem('\udc00a')).toBe('contains a lone UTF-16 surrogate');
    expect(hostileTextProblem('emoji 😀 ok, é, 中文')).toBeUndefined();
  });

  it('finds the first hostile string with its path, keys included', () => {
    expect(findHostileText({ memory_blocks: [{ label: 'ok' }, { label: 'a\u0000' }] }, 'body')).toBe(
      'body.memory_blocks.1.label contains a NUL byte',
    );
    expect(findHostileText({ metadata: { ['k\u0000']: 1 } }, 'body')).toBe('body.metadata has a key that contains a NUL byte');
    expect(findHostileText({ tags: ['x', 'y\ud83d'] }, 'query')).toBe('query.tags.1 contains a lone UTF-16 surrogate');
    expect(findHostileText({ a: [1, true, null, { b: 'fine' }] }, 'body')).toBeUndefined();
    expect(findHostileText(undefined, 'body')).toBeUndefined();
  });

  it('walks a value nested far deeper than the call stack allows', () => {
    let v: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(findHostileText(v, 'body')).toMatch(/^body(\.0)+ contains a NUL byte$/);
  });

  it('scrubs text we produce ourselves', () => {
    expect(scrubHostileText('a\u0000b\ud800c😀')).toBe('ab\ufffdc😀');
    expect(scrubHostileText('\udc00')).toBe('\ufffd');
    expect(scrubHostileText('plain')).toBe('plain');
  });
});

describe('JSON nesting depth', () => {
  it('counts brackets outside strings only', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '['.repeat(1000) + '\\"[[[' }))).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":[1,{"d":2}]}}}', 5)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":[1,{"d":2}]}}}', 4)).toBe(true);
  });

  it('stays linear on a million brackets', () => {
    const started = performance.now();
    expect(jsonNestsDeeperThan('['.repeat(1_000_000), 1_000_001)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('database outage classification', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });

  it('recognises connection failures, shutdowns and pool timeouts, also when drizzle wraps them', () => {
    const outages = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('connect ENOENT /var/run/postgresql/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' }),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated'),
      new Error('timeout exceeded when trying to connect'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P02'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006'),
      pgError('08003'),
      pgError('53300', 'sorry, too many clients already'),
      pgError('55000', 'database "x" is not currently accepting connections'),
    ];
    for (const e of outages) {
      expect(isDatabaseUnavailable(e), e.message).toBe(true);
      expect(isDatabaseUnavailable(wrapped(e)), `wrapped ${e.message}`).toBe(true);
    }
  });

  it('leaves query errors and our own bugs alone', () => {
    const others = [
      pgError('23505', 'duplicate key value violates unique constraint "x"'),
      pgError('22003', 'value "99999999999" is out of range for type integer'),
      pgError('42P01', 'relation "nope" does not exist'),
      Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' }),
      new TypeError('Cannot read properties of undefined'),
      new Error('Failed query: insert into t values ($1)\nparams: Connection terminated'),
      'Connection terminated',
      null,
    ];
    for (const e of others) expect(isDatabaseUnavailable(e), String((e as Error)?.message ?? e)).toBe(false);
  });
});

describe('safe error details', () => {
  it('drops SQL text and parameter values and caps the length', () => {
    const detail = safeDetailText('Import failed: Failed query: insert into "blocks" ("id") values ($1)\nparams: secret-value');
    expect(detail).toBe('Import failed: a database query failed');
    const long = safeDetailText('x'.repeat(3_000_000));
    expect(long.length).toBe(MAX_DETAIL_CHARS);
  });

  it('keeps small structured details and replaces large or SQL-bearing ones by the message', () => {
    expect(safeDetail({ code: 'PENDING_APPROVAL', pending_request_id: 'm' }, 'm')).toEqual({
      code: 'PENDING_APPROVAL',
      pending_request_id: 'm',
    });
    expect(safeDetail({ blob: 'y'.repeat(5000) }, 'too big')).toBe('too big');
    expect(safeDetail({ why: 'Failed query: select' }, 'hidden')).toBe('hidden');
    expect(safeDetail(undefined, 'the message')).toBe('the message');
  });

  it('describes a database refusal by its SQLSTATE and schema names only', () => {
    const cause = Object.assign(new Error('value "99999999999" is out of range for type integer'), { code: '22003' });
    const err = Object.assign(new Error('Failed query: insert into "blocks" values ($1)\nparams: 99999999999'), { cause });
    expect(describeDatabaseRejection(err)).toBe('the database rejected a value: a number is out of range (SQLSTATE 22003)');
    const dup = Object.assign(new Error('duplicate'), { code: '23505', constraint: 'tools_org_name_uq' });
    expect(describeDatabaseRejection(dup)).toContain('SQLSTATE 23505, constraint tools_org_name_uq');
    expect(describeDatabaseRejection(new Error('other'))).toBeUndefined();
  });
});

describe('configuration of the safe defaults', () => {
  const configError = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('refuses a non-loopback HOST without an API key, naming MNEMO_API_KEY', () => {
    const err = configError({ HOST: '0.0.0.0' });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('MNEMO_API_KEY');
    expect((err as Error).message).toContain('MNEMO_ALLOW_INSECURE');
  });

  it('allows a non-loopback HOST with a key, or with MNEMO_ALLOW_INSECURE=1', () => {
    expect(loadConfig({ HOST: '0.0.0.0', MNEMO_API_KEY: 'k' }).host).toBe('0.0.0.0');
    const insecure = loadConfig({ HOST: '0.0.0.0', MNEMO_ALLOW_INSECURE: '1' });
    expect(insecure.allowInsecure).toBe(true);
    expect(loadConfig({}).allowInsecure).toBe(false);
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('reads CORS origins as exact origins and refuses wildcards and paths', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ MNEMO_CORS_ORIGINS: 'https://App.example.com/, http://localhost:3000' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    for (const bad of ['*', 'https://*.example.com', 'https://example.com/path', 'example.com', 'null', 'ftp://example.com']) {
      const err = configError({ MNEMO_CORS_ORIGINS: bad });
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('MNEMO_CORS_ORIGINS');
    }
  });
});
