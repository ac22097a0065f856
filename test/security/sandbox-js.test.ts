// A JavaScript/TypeScript tool whose result is too large is reported as such, not as "promise never settled".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESULT_BYTES } from '../../src/sandbox/types.js';
import { call } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

async function runTs(body: string) {
  const source = `/** Returns something. */\nexport function big(): unknown {\n${body}\n}\n`;
  const res = await call(t.app, 'POST', '/v1/tools/run', {
    source_code: source,
    source_type: 'typescript',
    args: {},
    json_schema: { name: 'big', parameters: { type: 'object', properties: {} } },
  });
  expect(res.status).toBe(200);
  return res.body as { status: string; func_return: unknown };
}

describe('JS/TS sandbox result size', () => {
  it('reports a 100 MB string result as exceeding the result limit', async () => {
    const r = await runTs(`  return 'x'.repeat(100_000_000);`);
    expect(r.status).toBe('error');
    expect(String(r.func_return)).toContain(`tool result exceeded ${MAX_RESULT_BYTES} bytes`);
    expect(String(r.func_return)).not.toMatch(/never settled/);
  });

  it('reports a large object result the same way, and returns results under the limit', async () => {
    const big = await runTs(`  return Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'abcdefghij'.repeat(10) }));`);
    expect(big.status).toBe('error');
    expect(String(big.func_return)).toContain(`tool result exceeded ${MAX_RESULT_BYTES} bytes`);
    const small = await runTs(`  return { ok: 'y'.repeat(1000) };`);
    expect(small).toMatchObject({ status: 'success', func_return: { ok: 'y'.repeat(1000) } });
  });
});
