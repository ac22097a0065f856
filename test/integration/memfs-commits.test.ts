// Block edits become commits of the agent's memory repository as they are stored (not at the next git request):
// one commit per edit, its message naming the source and the file; pushes reach the sleep-time companion.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { basicAuthArgs, gitSandbox } from '../support/git-cli.js';
import { callAs } from '../support/orgs.js';

vi.setConfig({ testTimeout: 60_000 });

const KEY = 'admin-key-commits';
const t = useAgentHarness({ listen: true, env: { MNEMO_API_KEY: KEY, MNEMO_GIT_MEMORY: '1' } });
const g = gitSandbox();
afterAll(() => g.cleanup());

/** Rows of `db.execute` on either driver (node-postgres and PGlite both answer `{ rows }`). */
const rowsOf = (r: unknown) => (r as { rows: unknown[] }).rows;
const api = (method: string, url: string, body?: unknown) => callAs(t.app, KEY, method, url, body);
const git = (cwd: string, args: string[]) => g.run(cwd, [...basicAuthArgs(KEY), ...args]);

async function agentWithRepo(name: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    tools: ['memory'],
    memory_blocks: [
      { label: 'human', value: 'Name: Ada' },
      { label: 'persona', value: 'I am helpful.' },
    ],
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const clone = await git(g.home, ['clone', `${t.url}/v1/git/${res.body.id}/state.git`, name]);
  expect(clone.code, clone.stderr).toBe(0);
  return res.body as { id: string; managed_group?: { agent_ids: string[] } };
}

async function subjects(dir: string, n: number): Promise<string[]> {
  const pull = await git(dir, ['pull', '--ff-only']);
  expect(pull.code, pull.stderr).toBe(0);
  return (await git(dir, ['log', `-${n}`, '--format=%s'])).stdout.trim().split('\n');
}

describe('memory edits become commits as they are stored', () => {
  it('makes each API edit its own commit, even with no git request between them', async () => {
    const a = await agentWithRepo('api');
    await api('PATCH', `/v1/agents/${a.id}/core-memory/blocks/human`, { value: 'Name: Ada Lovelace' });
    await api('PATCH', `/v1/agents/${a.id}/core-memory/blocks/persona`, { value: 'I am very helpful.' });
    expect(await subjects(g.dir('api'), 3)).toEqual([
      'Update memory from the API: system/persona.md',
      'Update memory from the API: system/human.md',
      "Initial memory from the agent's blocks",
    ]);
  });

  it("commits the agent's memory tool edits, creations included, naming the agent", async () => {
    const a = await agentWithRepo('agent');
    t.llm.enqueue(
      {
        toolCalls: [
          { name: 'memory', arguments: { command: 'str_replace', path: '/memories/human', old_string: 'Ada', new_string: 'Ada L.' } },
        ],
      },
      { toolCalls: [{ name: 'memory', arguments: { command: 'create', path: '/memories/notes', description: 'Notes', file_text: 'n1' } }] },
      { text: 'done' },
    );
    const res = await api('POST', `/v1/agents/${a.id}/messages`, { messages: [{ role: 'user', content: 'remember' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await subjects(g.dir('agent'), 2)).toEqual([
      'Update memory from the agent: system/notes.md',
      'Update memory from the agent: system/human.md',
    ]);
    expect(readFileSync(join(g.dir('agent'), 'system/notes.md'), 'utf8')).toBe('---\ndescription: Notes\nlimit: 100000\n---\nn1');
  });

  it("shares a block created by a push with the agent's sleep-time companion, and unshares a removed one", async () => {
    const a = await agentWithRepo('sleepy', { enable_sleeptime: true });
    const companion = a.managed_group!.agent_ids[0]!;
    const dir = g.dir('sleepy');
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(join(dir, 'system/garden.md'), '---\ndescription: The garden\n---\nTomatoes.');
    rmSync(join(dir, 'system/persona.md'));
    expect((await git(dir, ['add', '-A'])).code).toBe(0);
    expect((await git(dir, ['commit', '-m', 'garden'])).code).toBe(0);
    const push = await git(dir, ['push']);
    expect(push.code, push.stderr).toBe(0);
    const labels = (await api('GET', `/v1/agents/${companion}/core-memory/blocks`)).body.map((b: { label: string }) => b.label);
    expect(labels).toContain('garden');
    expect(labels).not.toContain('persona');
  });

  it('commits an edit of a shared block to the repository of the agent that has one, and creates none for the other', async () => {
    const a = await agentWithRepo('shared');
    const blocks = (await api('GET', `/v1/agents/${a.id}/core-memory/blocks`)).body as { id: string; label: string }[];
    const human = blocks.find((b) => b.label === 'human')!;
    const other = await api('POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', block_ids: [human.id] });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const edit = await api('PATCH', `/v1/agents/${other.body.id}/core-memory/blocks/human`, { value: 'Name: Ada, shared' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect((await subjects(g.dir('shared'), 1))[0]).toBe('Update memory from the API: system/human.md');
    const refs = await t.ctx.dbh.db.execute(sql`select agent_id from memfs_refs where agent_id = ${other.body.id}`);
    expect(rowsOf(refs)).toEqual([]);
  });
});
