// GET /v1/health reports the Letta API version clients compare against (Letta Code warns below 0.16.6) and Mnemo's own.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { call, TEST_ENV } from '../support/http.js';

const LETTA_CODE_MINIMUM = '0.16.6';
const ownVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Letta Code's comparison: numeric major.minor.patch. */
function below(v: string, min: string): boolean {
  const a = v.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(TEST_ENV);
});
afterAll(async () => {
  await t?.close();
});

describe('server version', () => {
  it('reports a Letta API version Letta Code accepts, with Mnemo’s own beside it', async () => {
    for (const path of ['/v1/health', '/v1/health/']) {
      const r = await call(t.app, 'GET', path);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ version: '0.16.8', status: 'ok', mnemo_version: ownVersion });
      expect(below(r.body.version, LETTA_CODE_MINIMUM)).toBe(false);
      expect(r.headers['x-mnemo-version']).toBe(ownVersion);
    }
    expect(below(ownVersion, LETTA_CODE_MINIMUM)).toBe(true);
  });
});
