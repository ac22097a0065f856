import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENV } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: 'k-123' });
});
afterAll(async () => t?.close());

describe('API key', () => {
  it('requires the bearer key on every route except health', async () => {
    expect((await t.app.inject({ url: '/v1/agents/' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/agents/', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/agents/', headers: { authorization: 'Bearer k-123' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/health/' })).statusCode).toBe(200);
  });
});
