// Letta Code (the installed `letta` CLI, 0.25.9: the newest release that runs on Node 20) driven headless against a
// real Mnemo server on 127.0.0.1 whose only model is the scripted LLM: a new agent, a turn with a client-side tool
// round trip (ShellCommand), and a second turn on the same agent.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { createOrgWithKey, callAs, type OrgWithKey } from '../support/orgs.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';

const LETTA_BIN = resolve('node_modules/.bin/letta');
const RUN_TIMEOUT_MS = 120_000;
const SHELL_MARKER = 'hello-from-letta-code';

const t = useAgentHarness({ listen: true, env: { MNEMO_API_KEY: 'admin-key-for-letta-code' }, resetLlm: false });
let org: OrgWithKey;
let home: string;

type CliResult = { code: number | null; stdout: string; stderr: string; json: Record<string, any> | undefined };

/** Runs `letta` with a scratch HOME and project folder; killed (and reported) after RUN_TIMEOUT_MS. */
function runLetta(args: string[]): Promise<CliResult> {
  const cwd = join(home, 'project');
  mkdirSync(cwd, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TERM: 'dumb',
    LETTA_BASE_URL: t.url,
    LETTA_API_KEY: org.key,
    LETTA_CODE_TELEM: '0',
    DISABLE_AUTOUPDATER: '1',
    NO_COLOR: '1',
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [LETTA_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`letta did not finish within ${RUN_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new Error(`letta could not start: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, any> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, any>;
      } catch {
        json = undefined;
      }
      done({ code, stdout, stderr, json });
    });
  });
}

const toolNames = (req: RecordedRequest): string[] => (req.body.tools ?? []).map((x: any) => x.function?.name ?? x.name);
const lastMessage = (req: RecordedRequest) => (req.body.messages ?? []).at(-1) as { role: string; content: unknown } | undefined;

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
    const r = await runLetta([
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
    const r = await runLetta(['-p', 'Anything else?', '--agent', agentId, '--yolo', '--output-format', 'json']);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    expect(r.json).toMatchObject({ subtype: 'success', agent_id: agentId, result: 'Second turn answered.' });
  });
});
