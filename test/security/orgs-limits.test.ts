// Per-key rate limits and per-organization quotas: 429 with a detail naming what was exceeded.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentHarness, type AgentHarness } from '../support/agent-harness.js';
import { callAs, createOrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-for-limits-0123456789';
const agentBody = { model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' };

describe('rate limit per API key', () => {
  let t: AgentHarness;
  beforeAll(async () => {
    t = await startAgentHarness({ offline: true, env: { MNEMO_API_KEY: ADMIN, MNEMO_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After and a detail once a key passes its limit; another key is unaffected', async () => {
    const a = await createOrgWithKey(t.app, ADMIN, 'busy'); // two admin requests
    const b = await createOrgWithKey(t.app, ADMIN, 'calm'); // two more (admin: 4 of 5)
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await callAs(t.app, a.key, 'GET', '/v1/agents/')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await callAs(t.app, a.key, 'GET', '/v1/agents/');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body.detail).toMatch(/Rate limit exceeded/);
    expect((await callAs(t.app, b.key, 'GET', '/v1/agents/')).status).toBe(200);
  });
});

describe('organization quotas', () => {
  let t: AgentHarness;
  beforeAll(async () => {
    t = await startAgentHarness({ env: { MNEMO_API_KEY: ADMIN } });
  });
  afterAll(async () => t?.close());

  it('refuses an agent past max_agents with 429 naming the quota, on create and on import', async () => {
    const o = await createOrgWithKey(t.app, ADMIN, 'small');
    const set = await callAs(t.app, ADMIN, 'PATCH', `/v1/admin/orgs/${o.orgId}`, { quotas: { max_agents: 2 } });
    expect(set.body.quotas).toEqual({ max_agents: 2, max_tokens_per_day: null });
    expect((await callAs(t.app, o.key, 'POST', '/v1/agents/', agentBody)).status).toBe(200);
    const second = await callAs(t.app, o.key, 'POST', '/v1/agents/', agentBody);
    expect(second.status).toBe(200);
    const third = await callAs(t.app, o.key, 'POST', '/v1/agents/', agentBody);
    expect(third.status).toBe(429);
    expect(third.body.detail).toMatch(/max_agents/);
    expect(third.headers['x-should-retry']).toBe('false');
    const exported = await callAs(t.app, o.key, 'GET', `/v1/agents/${second.body.id}/export`);
    expect(exported.status).toBe(200);
    const imported = await t.app.inject({
      method: 'POST',
      url: '/v1/agents/import',
      headers: { authorization: `Bearer ${o.key}`, 'content-type': 'multipart/form-data; boundary=XB' },
      payload: `--XB\r\nContent-Disposition: form-data; name="file"; filename="a.af"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(exported.body)}\r\n--XB--\r\n`,
    });
    expect(imported.statusCode).toBe(429);
    expect(JSON.parse(imported.body).detail).toMatch(/max_agents/);
    // Other organizations are not limited by it.
    expect((await callAs(t.app, ADMIN, 'POST', '/v1/agents/', agentBody)).status).toBe(200);
    // Lifting the quota applies at once on this process.
    await callAs(t.app, ADMIN, 'PATCH', `/v1/admin/orgs/${o.orgId}`, { quotas: { max_agents: null } });
    expect((await callAs(t.app, o.key, 'POST', '/v1/agents/', agentBody)).status).toBe(200);
  });

  it("refuses the next message send once the day's model tokens reach max_tokens_per_day", async () => {
    const o = await createOrgWithKey(t.app, ADMIN, 'chatty');
    await callAs(t.app, ADMIN, 'PATCH', `/v1/admin/orgs/${o.orgId}`, { quotas: { max_tokens_per_day: 100 } });
    const agent = await callAs(t.app, o.key, 'POST', '/v1/agents/', agentBody);
    t.llm.enqueue({ text: 'first', usage: { promptTokens: 60, completionTokens: 10 } });
    const first = await callAs(t.app, o.key, 'POST', `/v1/agents/${agent.body.id}/messages`, { input: 'hi' });
    expect(first.status).toBe(200);
    t.llm.enqueue({ text: 'second', usage: { promptTokens: 40, completionTokens: 5 } });
    expect((await callAs(t.app, o.key, 'POST', `/v1/agents/${agent.body.id}/messages`, { input: 'again' })).status).toBe(200);
    for (const url of [
      `/v1/agents/${agent.body.id}/messages`,
      `/v1/agents/${agent.body.id}/messages/stream`,
      `/v1/agents/${agent.body.id}/messages/async`,
    ]) {
      const over = await callAs(t.app, o.key, 'POST', url, { input: 'more' });
      expect(over.status, url).toBe(429);
      expect(over.body.detail).toMatch(/max_tokens_per_day/);
      expect(over.body.detail).toMatch(/115/);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(over.headers['x-should-retry']).toBe('false');
    }
    // The default organization (admin key) still talks.
    const other = await callAs(t.app, ADMIN, 'POST', '/v1/agents/', agentBody);
    t.llm.enqueue({ text: 'fine' });
    expect((await callAs(t.app, ADMIN, 'POST', `/v1/agents/${other.body.id}/messages`, { input: 'hi' })).status).toBe(200);
  });

  it("keeps a running tally of today's tokens without counting a step twice or counting yesterday", async () => {
    const o = await createOrgWithKey(t.app, ADMIN, 'tally');
    await callAs(t.app, ADMIN, 'PATCH', `/v1/admin/orgs/${o.orgId}`, { quotas: { max_tokens_per_day: 1000 } });
    const db = t.ctx.dbh.db;
    const step = (tokens: number, at: ReturnType<typeof sql>) =>
      db.execute(
        sql`INSERT INTO steps (id, organization_id, total_tokens, created_at) VALUES (${'step-' + crypto.randomUUID()}, ${o.orgId}, ${tokens}, ${at})`,
      );
    const dayStart = sql`date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    await step(5000, sql`${dayStart} - interval '1 hour'`);
    await step(300, sql`greatest(${dayStart}, now() - interval '2 minutes')`);
    await step(300, sql`now()`);
    const actor = { orgId: o.orgId, userId: 'user-x' };
    await t.ctx.services.quotas.admitMessage(actor);
    await t.ctx.services.quotas.admitMessage(actor);
    await step(399, sql`now()`);
    await t.ctx.services.quotas.admitMessage(actor);
    await step(1, sql`now()`);
    for (let i = 0; i < 2; i++) {
      await expect(t.ctx.services.quotas.admitMessage(actor)).rejects.toMatchObject({
        status: 429,
        message: expect.stringMatching(/used 1000 model tokens/),
      });
    }
  });
});
