// Operator logs: one line per request (route pattern, status, ms, organization; never the key), one per turn, and
// provider failures with provider and host, retries included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, until } from '../support/http.js';
import { createOrgWithKey, callAs } from '../support/orgs.js';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import type { TestApp } from '../support/test-app.js';
import { captureLog, loggedApp, type Capture } from './log-capture.js';

const ADMIN = 'admin-key-for-request-log-test-0123456789';
let llm: ScriptedLlm;
let t: TestApp;
let cap: Capture;

beforeAll(async () => {
  llm = await startScriptedLlm();
  cap = captureLog();
  t = await loggedApp({ MNEMO_API_KEY: ADMIN, OPENAI_API_KEY: 'sk-provider-secret-xyz', OPENAI_BASE_URL: llm.openaiBaseUrl }, cap);
});
afterAll(async () => {
  await t?.close();
  await llm?.close();
});

const requestLines = () => cap.lines.filter((l) => l.msg === 'request');

describe('request log', () => {
  it('writes one line per request with the route pattern, path, status, ms and organization, and no key', async () => {
    const org = await createOrgWithKey(t.app, ADMIN, 'acme');
    const before = requestLines().length;
    const res = await callAs(t.app, org.key, 'GET', '/v1/agents/agent-00000000-0000-4000-8000-000000000000?limit=5');
    expect(res.status).toBe(404);
    const lines = requestLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/v1/agents/:agent_id',
      url: '/v1/agents/agent-00000000-0000-4000-8000-000000000000',
      status: 404,
      orgId: org.orgId,
    });
    expect(typeof lines[0]?.ms).toBe('number');
    expect(cap.text()).not.toContain(org.key);
    expect(cap.text()).not.toContain(ADMIN);
    expect(cap.text()).not.toContain('limit=5');
  });

  it('logs a refused request without an organization, and health checks only at debug', async () => {
    const before = requestLines().length;
    expect((await callAs(t.app, 'wrong-key', 'GET', '/v1/agents/')).status).toBe(401);
    expect((await call(t.app, 'GET', '/v1/health/')).status).toBe(200);
    const [refused, health] = requestLines().slice(before);
    expect(refused).toMatchObject({ level: 30, route: '/v1/agents/', status: 401 });
    expect(refused).not.toHaveProperty('orgId');
    expect(health).toMatchObject({ level: 20, route: '/v1/health/', status: 200 });
    expect(cap.text()).not.toContain('wrong-key');
  });
});

describe('turn log', () => {
  it('writes one line per finished turn: agent, run, steps, tokens, stop reason, ms', async () => {
    const agent = await callAs(t.app, ADMIN, 'POST', '/v1/agents/', {
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
    });
    expect(agent.status).toBe(200);
    llm.enqueue({ text: 'hello there', usage: { promptTokens: 120, completionTokens: 7 } });
    const res = await callAs(t.app, ADMIN, 'POST', `/v1/agents/${agent.body.id}/messages`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const turns = cap.lines.filter((l) => l.msg === 'turn' && l.agentId === agent.body.id);
    expect(turns).toHaveLength(1);
    const runId = res.body.messages[0].run_id ?? turns[0]?.runId;
    expect(turns[0]).toMatchObject({ level: 30, runId, steps: 1, promptTokens: 120, completionTokens: 7, stopReason: 'end_turn' });
    expect(turns[0]?.runId).toMatch(/^run-/);
    expect(typeof turns[0]?.ms).toBe('number');
  });

  it('logs provider failures with provider, host and status, each retry visible, never the key', async () => {
    const agent = await callAs(t.app, ADMIN, 'POST', '/v1/agents/', {
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
    });
    const boom = { error: { status: 503, message: 'upstream overloaded' } };
    llm.enqueue(boom, boom, boom);
    const res = await callAs(t.app, ADMIN, 'POST', `/v1/agents/${agent.body.id}/messages`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const host = new URL(llm.openaiBaseUrl).host;
    const retries = cap.lines.filter((l) => l.msg === 'provider call failed, retrying');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2]);
    expect(retries[0]).toMatchObject({ level: 40, provider: 'openai', host, status: 503, kind: 'server' });
    const final = await until(async () => cap.lines.find((l) => l.msg === 'provider call failed'));
    expect(final).toMatchObject({ provider: 'openai', host, status: 503, attempts: 3 });
    expect(String(final.msg)).not.toContain('sk-');
    expect(cap.text()).not.toContain('sk-provider-secret-xyz');
    const turn = cap.lines.find((l) => l.msg === 'turn' && l.agentId === agent.body.id);
    expect(turn).toMatchObject({ level: 40, stopReason: 'llm_api_error', steps: 1 });
  });
});
