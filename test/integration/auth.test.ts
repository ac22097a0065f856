import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ offline: true, env: { MNEMO_API_KEY: 'k-123' } });

describe('API key', () => {
  it('requires the bearer key on every route except health', async () => {
    expect((await t.app.inject({ url: '/v1/agents/' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/agents/', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/agents/', headers: { authorization: 'Bearer k-123' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/health/' })).statusCode).toBe(200);
  });
});
