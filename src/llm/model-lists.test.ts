import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../../test/support/scripted-llm.js';
import { leanFetch } from './lean-fetch.js';
import type { ModelListSource } from './model-list-probe.js';
import { createModelLists, listOffers } from './model-lists.js';

let llm: ScriptedLlm;
let silent: Server;
let silentUrl = '';
beforeAll(async () => {
  llm = await startScriptedLlm();
  // Accepts connections and never answers: the probe must give up at its timeout.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
  await llm.close();
});
beforeEach(() => llm.reset());

const src = (over: Partial<ModelListSource> = {}): ModelListSource => ({
  key: 'openai',
  name: 'openai',
  kind: 'openai',
  baseUrl: llm.openaiBaseUrl,
  apiKey: 'sk-1',
  fetch: leanFetch,
  ...over,
});
const listCalls = () => llm.requests.filter((r) => r.path === '/v1/models').length;

describe('provider model lists', () => {
  it('reads OpenAI and Anthropic lists with their own auth headers', async () => {
    const lists = createModelLists();
    const openai = await lists.get(src());
    expect(openai.ok && openai.models.map((m) => m.id)).toContain('gpt-4o-mini');
    expect(llm.requests.at(-1)?.headers.authorization).toBe('Bearer sk-1');
    const anthropic = await lists.get(src({ key: 'anthropic', kind: 'anthropic', baseUrl: llm.anthropicBaseUrl }));
    expect(anthropic.ok && anthropic.models.map((m) => m.id)).toContain('claude-haiku-4-5');
    expect(llm.requests.at(-1)?.headers['x-api-key']).toBe('sk-1');
  });

  it('reuses a fresh list, serves a stale one while refreshing it in the background', async () => {
    let t = 0;
    const lists = createModelLists({ ttlMs: 1_000, now: () => t });
    await lists.get(src());
    await lists.get(src());
    expect(listCalls()).toBe(1);
    llm.models.openai.push('gpt-new');
    t = 5_000;
    const stale = await lists.get(src());
    expect(stale.ok && stale.models.some((m) => m.id === 'gpt-new')).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const fresh = await lists.get(src());
    expect(fresh.ok && fresh.models.some((m) => m.id === 'gpt-new')).toBe(true);
    expect(listCalls()).toBe(2);
    llm.models.openai.pop();
  });

  it('reports a closed port and a silent server as unavailable, within the timeout', async () => {
    const warnings: unknown[] = [];
    const lists = createModelLists({ timeoutMs: 300, log: { warn: (o: unknown) => warnings.push(o), info: () => undefined } });
    const closed = await lists.get(src({ key: 'closed', name: 'closed', baseUrl: 'http://127.0.0.1:9/v1' }));
    expect(closed.ok).toBe(false);
    const started = Date.now();
    const hung = await lists.get(src({ key: 'hung', name: 'hung', baseUrl: silentUrl }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hung).toMatchObject({ ok: false, error: 'no answer within 300 ms' });
    expect(warnings).toHaveLength(2);
  });

  it('keeps at most maxEntries providers', async () => {
    const lists = createModelLists({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await lists.get(src({ key }));
    expect(lists.size()).toBe(2);
    expect(lists.peek('a')).toBeUndefined();
  });

  it("matches Ollama's name:latest", () => {
    expect(listOffers([{ id: 'llama3.1:latest' }], 'llama3.1')).toBe(true);
    expect(listOffers([{ id: 'llama3.1:8b' }], 'llama3.1')).toBe(false);
  });
});
