// Letta Code 0.25.9 with --memfs against a real Mnemo server: it clones the agent's memory repository, its memory
// tool edits a block file and pushes, and the block changes on the server; an API edit then reaches `git pull`.
// The first agent is created through the API; a second one by Letta Code itself, whose memory tool adds a file
// outside system/ (a detached block the agent owns).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { basicAuthArgs, gitSandbox } from '../support/git-cli.js';
import { callAs, createOrgWithKey, type OrgWithKey } from '../support/orgs.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';
import { LETTA_BIN, lastMessage, RUN_TIMEOUT_MS, runLetta, toolNames } from './run-letta.js';

const ADMIN = 'admin-key-for-letta-code-memfs';
const t = useAgentHarness({ listen: true, env: { MNEMO_API_KEY: ADMIN }, resetLlm: false });
let org: OrgWithKey;
let home: string;
let agentId: string;

/** The model: asked to remember, it patches system/human.md with Letta Code's memory tool, then reports the result. */
function scriptedModel(req: RecordedRequest): ScriptedStep {
  const last = lastMessage(req);
  if (last?.role === 'tool') return { text: `Memory tool said: ${String(last.content).slice(0, 300)}` };
  const prompt = JSON.stringify(last?.content ?? '');
  if (prompt.includes('keep a note') && toolNames(req).includes('memory_apply_patch')) {
    const patch = [
      '*** Begin Patch',
      '*** Add File: reference/sky.md',
      '+---',
      '+description: Facts about the sky',
      '+---',
      '+The sky is blue.',
    ];
    return {
      toolCalls: [{ name: 'memory_apply_patch', arguments: { reason: 'Keep a note', input: [...patch, '*** End Patch'].join('\n') } }],
    };
  }
  if (prompt.includes('remember my name') && toolNames(req).includes('memory_apply_patch')) {
    const patch = [
      '*** Begin Patch',
      '*** Update File: system/human.md',
      '@@',
      '-Name: unknown',
      '+Name: Grace Hopper',
      '*** End Patch',
    ].join('\n');
    return { toolCalls: [{ name: 'memory_apply_patch', arguments: { reason: 'Record the user name', input: patch } }] };
  }
  return { text: 'Nothing to do.' };
}

beforeAll(async () => {
  expect(existsSync(LETTA_BIN), `the Letta Code CLI is missing at ${LETTA_BIN}`).toBe(true);
  org = await createOrgWithKey(t.app, ADMIN, 'LettaCodeMemfs');
  home = mkdtempSync(join(tmpdir(), 'mnemo-letta-memfs-'));
  t.llm.setHandler(scriptedModel);
  const agent = await callAs(t.app, org.key, 'POST', '/v1/agents/', {
    name: 'memfs-agent',
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    tags: ['origin:letta-code'],
    memory_blocks: [
      { label: 'human', value: 'Name: unknown', description: 'About the user' },
      { label: 'persona', value: 'A careful helper.' },
    ],
  });
  expect(agent.status, JSON.stringify(agent.body)).toBe(200);
  agentId = agent.body.id;
});
afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Letta Code --memfs against Mnemo', () => {
  it('clones the memory repository, edits a block with the memory tool, pushes, and the block changes', {
    timeout: RUN_TIMEOUT_MS + 10_000,
  }, async () => {
    const r = await runLetta(
      {
        home,
        baseUrl: t.url,
        apiKey: org.key,
        extraEnv: { LETTA_MEMFS_LOCAL: '1', LETTA_MEMFS_BASE_URL: t.url, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
      },
      [
        '-p',
        'Please remember my name: Grace Hopper.',
        '--agent',
        agentId,
        '--memfs',
        '--memfs-startup',
        'blocking',
        '--yolo',
        '--output-format',
        'json',
      ],
    );
    const offered = t.llm.requests.filter((q) => q.path.endsWith('/chat/completions')).map((q) => toolNames(q).join(','));
    const context = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\ntools offered: ${offered.join(' | ')}\nlast: ${JSON.stringify(t.llm.requests.at(-1)?.body.messages?.at(-1)).slice(0, 500)}`;
    expect(r.code, context).toBe(0);
    expect(r.json, context).toMatchObject({ type: 'result', subtype: 'success' });
    const human = await callAs(t.app, org.key, 'GET', `/v1/agents/${agentId}/core-memory/blocks/human`);
    expect(human.body.value, context).toMatch(/^Name: Grace Hopper\n?$/);
    expect(r.json!.result, context).toContain('Memory tool said');
    const agent = await callAs(t.app, org.key, 'GET', `/v1/agents/${agentId}`);
    expect(agent.body.tags).toContain('git-memory-enabled');
  });

  it("brings an API edit into Letta Code's clone with git pull", async () => {
    await callAs(t.app, org.key, 'PATCH', `/v1/agents/${agentId}/core-memory/blocks/human`, {
      value: 'Name: Grace Hopper\nRank: Rear Admiral',
    });
    const memoryDir = join(home, '.letta', 'agents', agentId, 'memory');
    expect(existsSync(join(memoryDir, '.git')), `no clone at ${memoryDir}`).toBe(true);
    const g = gitSandbox();
    try {
      const pull = await g.run(memoryDir, [...basicAuthArgs(org.key), 'pull', '--ff-only']);
      expect(pull.code, pull.stderr).toBe(0);
      expect(readFileSync(join(memoryDir, 'system', 'human.md'), 'utf8')).toContain('Rank: Rear Admiral');
    } finally {
      g.cleanup();
    }
  });

  it('creates its own agent with --memfs, whose memory tool adds a file outside system/ as a detached block', {
    timeout: RUN_TIMEOUT_MS + 10_000,
  }, async () => {
    const env = { LETTA_MEMFS_LOCAL: '1', LETTA_MEMFS_BASE_URL: t.url, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
    const args = ['-p', 'Please keep a note: the sky is blue.', '--new-agent', '-m', 'openai/gpt-4o-mini', '--memfs'];
    const r = await runLetta({ home, baseUrl: t.url, apiKey: org.key, extraEnv: env }, [
      ...args,
      '--memfs-startup',
      'blocking',
      '--yolo',
      '--output-format',
      'json',
    ]);
    const context = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    expect(r.code, context).toBe(0);
    expect(r.json!.result, context).toContain('applied and pushed');
    const newAgent = String(r.json!.agent_id);
    const blocks = await callAs(t.app, org.key, 'GET', '/v1/blocks/?label=reference/sky');
    expect(blocks.body, context).toMatchObject([{ value: 'The sky is blue.', description: 'Facts about the sky' }]);
    const attached = await callAs(t.app, org.key, 'GET', `/v1/agents/${newAgent}/core-memory/blocks`);
    expect(attached.body.map((b: { label: string }) => b.label)).not.toContain('reference/sky');
    const g = gitSandbox();
    try {
      const clone = await g.run(g.home, [...basicAuthArgs(org.key), 'clone', `${t.url}/v1/git/${newAgent}/state.git`, 'fresh']);
      expect(clone.code, clone.stderr).toBe(0);
      expect(readFileSync(join(g.dir('fresh'), 'reference', 'sky.md'), 'utf8')).toContain('The sky is blue.');
    } finally {
      g.cleanup();
    }
  });
});
