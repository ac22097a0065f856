// kill -9 in the middle of a turn, then restart: no run stays "running" and the history stays usable.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { createTestDb } from '../support/test-db.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let llm: ScriptedLlm;
let env: Record<string, string>;
let dataDir = '';
let child: ChildProcess | undefined;
let base = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${base}/v1/health/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

beforeAll(async () => {
  llm = await startScriptedLlm();
  env = { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl };
  const db = await createTestDb();
  if (db.url) {
    env.DATABASE_URL = db.url;
  } else {
    await db.close();
    dataDir = mkdtempSync(join(tmpdir(), 'mnemo-crash-'));
    env.MNEMO_DATA_DIR = dataDir;
  }
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await llm?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('crash consistency', () => {
  it('closes the interrupted run as failed and keeps answering after a restart', async () => {
    await startServer();
    const agent = await api('POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', memory_blocks: [{ label: 'human', value: '' }] });
    llm.enqueue({ text: 'first answer' });
    const first = await api('POST', `/v1/agents/${agent.id}/messages`, { input: 'hello' });
    expect(first.stop_reason?.stop_reason, JSON.stringify(first)).toBe('end_turn');

    llm.enqueue({ text: 'never delivered', delayMs: 60_000 });
    const seen = llm.requests.length;
    void api('POST', `/v1/agents/${agent.id}/messages`, { input: 'this turn is interrupted' }).catch(() => {});
    for (let i = 0; i < 300 && llm.requests.length === seen; i++) await new Promise((r) => setTimeout(r, 50));
    expect(llm.requests.length).toBe(seen + 1); // the model call is in flight
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await startServer();
    // The embedded database closes orphans at start; on Postgres another process might own the run, so the
    // reaper waits for its turn lease to lapse.
    let runs: any[] = [];
    for (let i = 0; i < 120; i++) {
      runs = await api('GET', `/v1/runs/?agent_id=${agent.id}`);
      if (runs.every((r) => r.status !== 'running' && r.status !== 'created')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'failed']);

    const state = await api('GET', `/v1/agents/${agent.id}`);
    const history = await api('GET', `/v1/agents/${agent.id}/messages?order=asc&limit=100`);
    const stored = new Set(history.map((m: { id: string }) => m.id));
    for (const id of state.message_ids.slice(1)) expect(stored.has(id)).toBe(true);

    llm.enqueue({ text: 'back again' });
    const reply = await api('POST', `/v1/agents/${agent.id}/messages`, { input: 'are you there?' });
    expect(reply.stop_reason.stop_reason).toBe('end_turn');
    expect(reply.messages.at(-1).content).toBe('back again');
    // The request the model got is a valid alternating history (no dangling tool calls).
    const sent = (llm.requests.at(-1)!.body as { messages: { role: string }[] }).messages;
    expect(sent.at(-1)!.role).toBe('user');
    child!.kill('SIGKILL');
  });
});
