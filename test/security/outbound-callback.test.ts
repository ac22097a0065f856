// callback_url goes through the outbound policy, and what a caller can read back about a failed callback does not
// tell a refused URL from a closed port, an open port answering an error, a silent port or a refused redirect.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_FAILED } from '../../src/resources/runs/run-callback.js';
import { startAgentHarness, type AgentHarness } from '../support/agent-harness.js';
import { startCallbackReceiver, type CallbackReceiver } from '../support/callback-receiver.js';
import { call } from '../support/http.js';

const TIMEOUT_MS = 700;
const servers: Server[] = [];
let t: AgentHarness;
let good: CallbackReceiver;
let notAllowed: CallbackReceiver;
let urls: Record<string, string> = {};
let errorHits = 0;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  good = await startCallbackReceiver();
  notAllowed = await startCallbackReceiver();
  const erroring = await listen((req, res) => {
    errorHits++;
    req.resume();
    res.writeHead(500).end('internal error at port scanner target');
  });
  const silent = await listen((req) => req.resume()); // accepts, never answers
  const redirecting = await listen((_req, res) => res.writeHead(307, { location: notAllowed.url }).end());
  const closed = await closedPort();
  const allowed = [new URL(good.url).port, erroring, silent, redirecting, closed].map((p) => `127.0.0.1:${p}`).join(',');
  urls = {
    policy: notAllowed.url,
    metadata: 'http://169.254.169.254/latest/meta-data/',
    closed: `http://127.0.0.1:${closed}/hook`,
    error500: `http://127.0.0.1:${erroring}/hook`,
    silent: `http://127.0.0.1:${silent}/hook`,
    redirect: `http://127.0.0.1:${redirecting}/hook`,
  };
  t = await startAgentHarness({ env: { MNEMO_OUTBOUND_ALLOW: allowed, MNEMO_CALLBACK_TIMEOUT_MS: String(TIMEOUT_MS) } });
});
afterAll(async () => {
  await t?.close();
  await good?.close();
  await notAllowed?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Starts an async run with this callback; resolves with the run as GET /v1/runs/{id} shows it once the callback is recorded. */
async function runWithCallback(agentId: string, callbackUrl: string): Promise<{ run: any; recordedAfterMs: number }> {
  const started = await call(t.app, 'POST', `/v1/agents/${agentId}/messages/async`, {
    messages: [{ role: 'user', content: 'hi' }],
    callback_url: callbackUrl,
  });
  expect(started.status).toBe(200);
  let completedAt = 0;
  for (let i = 0; i < 400; i++) {
    const run = (await call(t.app, 'GET', `/v1/runs/${started.body.id}`)).body;
    if (run.status === 'completed' && !completedAt) completedAt = Date.now();
    if (run.callback_sent_at) return { run, recordedAfterMs: Date.now() - completedAt };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no callback recorded for ${callbackUrl}`);
}

const visible = (run: any) => ({ callback_status_code: run.callback_status_code, callback_error: run.callback_error, status: run.status });

describe('callback_url outcomes', () => {
  it('delivers to an allowed receiver and records its status', async () => {
    const agent = await t.createAgent();
    const { run } = await runWithCallback(agent.id, good.url);
    expect(visible(run)).toEqual({ callback_status_code: 200, callback_error: null, status: 'completed' });
    expect(good.received).toHaveLength(1);
  });

  it('a refused URL, a closed port, an open port answering 500, a silent port and a refused redirect look the same', async () => {
    const agent = await t.createAgent();
    const outcomes: Record<string, { run: any; recordedAfterMs: number }> = {};
    for (const [kind, url] of Object.entries(urls)) outcomes[kind] = await runWithCallback(agent.id, url);
    for (const [kind, o] of Object.entries(outcomes)) {
      expect(visible(o.run), kind).toEqual({ callback_status_code: null, callback_error: CALLBACK_FAILED, status: 'completed' });
      // Recorded only after the attempt's full time limit, however fast the failure was.
      expect(o.recordedAfterMs, kind).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      const keys = Object.keys(o.run)
        .filter((k) => k.startsWith('callback'))
        .sort();
      expect(keys, kind).toEqual(['callback_error', 'callback_sent_at', 'callback_status_code', 'callback_url']);
    }
    expect(errorHits).toBeGreaterThan(0);
    expect(notAllowed.received).toEqual([]);
  });
});
