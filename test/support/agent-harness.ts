// One test file's world: the scripted LLM, the real app on a fresh database wired to it, an optional SDK client,
// and the agent helpers most agent tests start from.
import Letta from '@letta-ai/letta-client';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { call, TEST_ENV } from './http.js';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.js';
import { createTestApp, type TestApp } from './test-app.js';

export type AgentHarnessOptions = {
  /** Listen on a free port (`url`); `sdk` implies it. */
  listen?: boolean;
  /** Build `client`, an SDK client (no retries) for the listening server. */
  sdk?: boolean;
  /** Also route the Anthropic provider to the scripted LLM. */
  anthropic?: boolean;
  /** Keep OpenAI on a closed port (TEST_ENV) for tests that must never reach a model; `llm` still exists, unused. */
  offline?: boolean;
  /** Extra environment for the app, applied last. */
  env?: Record<string, string>;
  /** useAgentHarness only: clear the scripted LLM (queue, handler, recorded requests) before each test. Default true. */
  resetLlm?: boolean;
};

export type CreatedAgent = { id: string; message_ids: string[]; [field: string]: any };

export type AgentHarness = TestApp & {
  llm: ScriptedLlm;
  /** Only with `sdk: true`. */
  client: Letta;
  /** POST /v1/agents/ with an OpenAI model and embedding unless `body` says otherwise; expects 200. */
  createAgent(body?: Record<string, unknown>): Promise<CreatedAgent>;
  /** POST /v1/agents/{id}/messages through inject. */
  send(agentId: string, body: Record<string, unknown>): ReturnType<typeof call>;
};

function harnessEnv(llm: ScriptedLlm, o: AgentHarnessOptions): Record<string, string> {
  const openai = o.offline ? TEST_ENV : { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl };
  const anthropic: Record<string, string> = o.anthropic ? { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: llm.anthropicBaseUrl } : {};
  // Model lists stay fresh for the whole file: no background refresh lands among a test's requests.
  return { MNEMO_MODEL_LIST_TTL_MS: '3600000', ...openai, ...anthropic, ...o.env };
}

export async function startAgentHarness(o: AgentHarnessOptions = {}): Promise<AgentHarness> {
  const llm = await startScriptedLlm();
  const t = await createTestApp(harnessEnv(llm, o), { listen: o.listen || o.sdk }).catch(async (err) => {
    await llm.close();
    throw err;
  });
  // Providers' model lists are asked for once here, so tests see only the requests they cause.
  await t.ctx.providerStatus();
  llm.reset();
  return {
    ...t,
    llm,
    client: (o.sdk ? new Letta({ baseURL: t.url, apiKey: 'unused', maxRetries: 0 }) : undefined) as Letta,
    async createAgent(body = {}) {
      const res = await call(t.app, 'POST', '/v1/agents/', {
        model: 'openai/gpt-4o-mini',
        embedding: 'openai/text-embedding-3-small',
        ...body,
      });
      expect(res.status).toBe(200);
      return res.body as CreatedAgent;
    },
    send: (agentId, body) => call(t.app, 'POST', `/v1/agents/${agentId}/messages`, body),
    async close() {
      await t.close();
      await llm.close();
    },
  };
}

/**
 * Starts a harness for the calling test file (beforeAll) and closes it (afterAll). The returned object is filled in
 * when beforeAll has run, so read its fields inside hooks and tests only.
 */
export function useAgentHarness(o: AgentHarnessOptions = {}): AgentHarness {
  const h = {} as AgentHarness;
  let started: AgentHarness | undefined;
  beforeAll(async () => {
    started = await startAgentHarness(o);
    Object.assign(h, started);
  });
  afterAll(async () => started?.close());
  if (o.resetLlm ?? true) beforeEach(() => h.llm.reset());
  return h;
}
