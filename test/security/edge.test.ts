// The HTTP boundary of a default install: no drive-by from a browser, one answer to hostile bytes, bounded and
// SQL-free error details, and {"detail"} from every error the framework raises.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgentFile } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, TEST_ENV } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const t = useAgentHarness({ offline: true, listen: true });

async function importFile(text: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'application/json' }), 'agent.af');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

function rawJson(method: 'POST' | 'PATCH', url: string, payload: string) {
  return t.app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload });
}

describe('browsers cannot drive a default install', () => {
  it('sends no CORS headers to any origin, preflight included', async () => {
    const get = await t.app.inject({ url: '/v1/agents/', headers: { origin: 'https://evil.example' } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/agents/',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a Host that is not loopback when no API key is set (DNS rebinding), with a detail', async () => {
    for (const host of ['evil.example', 'evil.example:8283', '192.168.1.20:8283', 'localhost.evil.example']) {
      const res = await t.app.inject({ url: '/v1/agents/', headers: { host } });
      expect(res.statusCode, host).toBe(421);
      expect(res.json().detail).toContain('MNEMO_API_KEY');
    }
    for (const host of ['localhost:8283', '127.0.0.1:8283', '[::1]:8283', 'app.localhost']) {
      expect((await t.app.inject({ url: '/v1/agents/', headers: { host } })).statusCode, host).toBe(200);
    }
    const real = await fetch(`${t.url}/v1/health/`);
    expect(real.status).toBe(200);
  });
});

describe('configured CORS and API key', () => {
  let keyed: TestApp;
  let insecure: TestApp;
  beforeAll(async () => {
    keyed = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: 'k-1', MNEMO_CORS_ORIGINS: 'https://app.example.com' });
    insecure = await createTestApp({ ...TEST_ENV, MNEMO_ALLOW_INSECURE: '1' });
  });
  afterAll(async () => Promise.all([keyed?.close(), insecure?.close()]));

  it('allows exactly the listed origin, without credentials, and never reflects another', async () => {
    const auth = { authorization: 'Bearer k-1' };
    const ok = await keyed.app.inject({ url: '/v1/agents/', headers: { ...auth, origin: 'https://app.example.com' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await keyed.app.inject({
      method: 'OPTIONS',
      url: '/v1/agents/',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const evil = await keyed.app.inject({ url: '/v1/agents/', headers: { ...auth, origin: 'https://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers any Host once a key is set, and keeps health open', async () => {
    expect(
      (await keyed.app.inject({ url: '/v1/agents/', headers: { host: 'mnemo.internal:8283', authorization: 'Bearer k-1' } })).statusCode,
    ).toBe(200);
    expect((await keyed.app.inject({ url: '/v1/agents/', headers: { host: 'mnemo.internal:8283' } })).statusCode).toBe(401);
    expect((await keyed.app.inject({ url: '/v1/health/', headers: { host: 'mnemo.internal:8283' } })).statusCode).toBe(200);
  });

  it('answers any Host with MNEMO_ALLOW_INSECURE=1', async () => {
    expect((await insecure.app.inject({ url: '/v1/agents/', headers: { host: 'mnemo.internal:8283' } })).statusCode).toBe(200);
  });

  it('refuses to start on a non-loopback HOST without a key: exit 2, a message naming MNEMO_API_KEY, no stack', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mnemo-edge-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        HOST: '0.0.0.0',
        PORT: '0',
        MNEMO_API_KEY: '',
        MNEMO_ALLOW_INSECURE: '',
        DATABASE_URL: '',
        MNEMO_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(stderr).toContain('MNEMO_API_KEY');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});

describe('hostile bytes get one answer on every route', () => {
  it('refuses NUL bytes and lone surrogates in bodies, queries and params with a 422 naming the field', async () => {
    const agent = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'x' }] });
    const base = { model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' };
    const block = await call(t.app, 'POST', '/v1/blocks/', { label: 'notes', value: 'v' });
    const cases: [Promise<{ statusCode: number; body: string }>, string][] = [
      [t.app.inject({ method: 'POST', url: '/v1/agents/', payload: { ...base, tags: ['a\u0000b'] } }), 'body.tags.0 contains a NUL byte'],
      [
        t.app.inject({ method: 'POST', url: '/v1/agents/', payload: { ...base, memory_blocks: [{ label: 'l\u0000', value: 'v' }] } }),
        'body.memory_blocks.0.label contains a NUL byte',
      ],
      [
        rawJson('POST', '/v1/agents/', JSON.stringify(base).replace('}', ',"metadata":{"k":"a\\ud800"}}')),
        'body.metadata.k contains a lone UTF-16 surrogate',
      ],
      [
        t.app.inject({ method: 'POST', url: '/v1/agents/', payload: { ...base, metadata: { 'k\u0000': 1 } } }),
        'body.metadata has a key that contains a NUL byte',
      ],
      [
        t.app.inject({
          method: 'POST',
          url: '/v1/tools/',
          payload: { source_code: 'def f() -> str:\n    """Say."""\n    return "\u0000"\n' },
        }),
        'body.source_code contains a NUL byte',
      ],
      [
        t.app.inject({ method: 'PATCH', url: `/v1/blocks/${block.body.id}`, payload: { value: 'v\u0000' } }),
        'body.value contains a NUL byte',
      ],
      [
        t.app.inject({
          method: 'POST',
          url: `/v1/agents/${agent.id}/messages`,
          payload: { messages: [{ role: 'user', content: 'hi\u0000' }] },
        }),
        'body.messages.0.content contains a NUL byte',
      ],
      [t.app.inject({ url: '/v1/agents/?name=a%00b' }), 'query.name contains a NUL byte'],
      [t.app.inject({ url: `/v1/agents/${agent.id}/core-memory/blocks/a%00b` }), 'params.block_label contains a NUL byte'],
    ];
    for (const [pending, expected] of cases) {
      const res = await pending;
      expect(res.statusCode, expected).toBe(422);
      expect(JSON.parse(res.body).detail, expected).toContain(expected);
    }
  });

  it('refuses hostile text in an uploaded agent file the same way', async () => {
    const file: any = makeAgentFile();
    file.blocks[0].label = 'persona\u0000';
    const res = await importFile(JSON.stringify(file));
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('file.blocks.0.label contains a NUL byte');
    const field = await importFile(JSON.stringify(makeAgentFile()), { name: 'fern\u0000' });
    expect(field.status).toBe(422);
    expect(field.body.detail).toContain('form.name contains a NUL byte');
  });

  it('refuses JSON nested deeper than the limit with a 400, in bodies and uploaded files', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const res = await rawJson('POST', '/v1/agents/', `{"model":"openai/gpt-4o-mini","metadata":{"x":${deep}}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/nests deeper than 64 levels/);
    const upload = await importFile(`{"agents":[],"x":${deep}}`);
    expect(upload.status).toBe(400);
    expect(upload.body.detail).toMatch(/nests deeper than 64 levels/);
  });
});

describe('framework errors keep the {"detail"} shape', () => {
  it('answers an over-long path parameter with 414 and a detail', async () => {
    for (const url of ['/v1/agents/' + 'a'.repeat(600), `/v1/agents/${'a'.repeat(600)}/messages`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(414);
      expect(res.json()).toEqual({ detail: 'A path parameter is too long (at most 500 characters)' });
    }
  });

  it('answers a body over the limit with 413 and an unknown content type with 415, both with a detail', async () => {
    const small = await createTestApp({ ...TEST_ENV, MNEMO_BODY_LIMIT_BYTES: '1000' });
    try {
      const big = await small.app.inject({ method: 'POST', url: '/v1/agents/', payload: { name: 'x'.repeat(2000) } });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toEqual({ detail: 'Request body is too large' });
    } finally {
      await small.close();
    }
    const weird = await t.app.inject({ method: 'POST', url: '/v1/agents/', headers: { 'content-type': 'text/x-weird' }, payload: 'x' });
    expect(weird.statusCode).toBe(415);
    expect(Object.keys(weird.json())).toEqual(['detail']);
  });
});

describe('error details carry no SQL and stay small', () => {
  it('describes a value the database refuses in an imported file without SQL text or values', async () => {
    const secret = 'SECRET-BLOCK-TEXT-'.repeat(10_000);
    const file: any = makeAgentFile();
    file.blocks[0].value = secret;
    file.blocks[0].limit = 99_999_999_999; // out of range for PostgreSQL's integer: the insert fails in the database
    const res = await importFile(JSON.stringify(file));
    expect(res.status).toBe(400);
    const detail = JSON.stringify(res.body.detail);
    expect(detail.length).toBeLessThanOrEqual(2000);
    for (const leak of ['Failed query', 'insert into', 'params:', 'SECRET-BLOCK-TEXT', '99999999999']) expect(detail).not.toContain(leak);
    expect(res.body.detail).toContain('SQLSTATE 22003');
  });
});
