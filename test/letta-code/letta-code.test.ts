// Letta Code (the installed `letta` CLI, 0.25.9: the newest release that runs on Node 20) driven headless against a
// real Mnemo server on 127.0.0.1 whose only model is the scripted LLM: a new agent, a turn with a client-side tool
// round trip (ShellCommand), and a second turn on the same agent.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { createOrgWithKey, callAs, type OrgWithKey } from '../support/orgs.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';
import { LETTA_BIN, lastMessage, RUN_TIMEOUT_MS, runLetta, toolNames } from './run-letta.js';

const SHELL_MARKER = 'hello-from-letta-code';

const t = useAgentHarness({ listen: true, env: { MNEMO_API_KEY: 'admin-key-for-letta-code' }, resetLlm: false });
let org: OrgWithKey;
let home: string;

/** The model: asks for ShellCommand when told to run something, then reports the command's output. */
function scriptedModel(req: RecordedRequest): ScriptedStep {
  const last = lastMessage(req);
  if (last?.role === 'tool') return { text: `The shell said: ${String(last.content).slice(0, 500)}` };
  const prompt = JSON.stringify(last?.content ?? '');
  if (prompt.includes('run the greeting') && toolNames(req).includes('ShellCommand')) {
    return { toolCalls: [{ name: 'ShellCommand', arguments: { command: `echo ${SHELL_MARKER}` } }] };
  }
  return { text: 'Second turn answered.' };
}

beforeAll(async () => {
  expect(existsSync(LETTA_BIN), `the Letta Code CLI is missing at ${LETTA_BIN}: run npm ci`).toBe(true);
  org = await createOrgWithKey(t.app, 'admin-key-for-letta-code', 'LettaCode');
  home = mkdtempSync(join(tmpdir(), 'mnemo-letta-code-'));
  t.llm.setHandler(scriptedModel);
});
afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Letta Code against Mnemo', () => {
  let agentId = '';

  it('creates an agent with the server tools and completes a ShellCommand round trip', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const r = await runLetta({ home, baseUrl: t.url, apiKey: org.key }, [
      '-p',
      'Please run the greeting command.',
      '--new-agent',
      '-m',
      'openai/gpt-4o-mini',
      '--yolo',
      '--output-format',
      'json',
    ]);
    const context = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    expect(r.code, context).toBe(0);
    expect(r.json, context).toMatchObject({ type: 'result', subtype: 'success', is_error: false });
    expect(r.json!.result, context).toContain(SHELL_MARKER);
    // No fallback path: the base tools existed, so the first agent creation succeeded.
    expect(r.stderr).not.toMatch(/add-base-tools|Tools not found|missing base tools/i);
    agentId = String(r.json!.agent_id);

    const agent = await callAs(t.app, org.key, 'GET', `/v1/agents/${agentId}`);
    expect(agent.status).toBe(200);
    expect(agent.body.tags).toContain('origin:letta-code');
    expect(agent.body.tools.map((x: { name: string }) => x.name).sort()).toEqual(['fetch_webpage', 'web_search']);

    // The model was offered the client's ShellCommand, and its second call carried the command's real output.
    const calls = t.llm.requests.filter((q) => q.path.endsWith('/chat/completions'));
    expect(calls.some((q) => toolNames(q).includes('ShellCommand'))).toBe(true);
    const afterTool = calls.find((q) => lastMessage(q)?.role === 'tool');
    expect(String(lastMessage(afterTool!)?.content)).toContain(SHELL_MARKER);
  });

  it('continues the same agent in a second run', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    expect(agentId).toMatch(/^agent-/);
    const r = await runLetta({ home, baseUrl: t.url, apiKey: org.key }, [
      '-p',
      'Anything else?',
      '--agent',
      agentId,
      '--yolo',
      '--output-format',
      'json',
    ]);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    expect(r.json).toMatchObject({ subtype: 'success', agent_id: agentId, result: 'Second turn answered.' });
  });
});
