import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithKey, callAs, type OrgWithKey } from '../support/orgs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENV } from '../support/http.js';
import { basicAuthArgs, gitSandbox } from '../support/git-cli.js';

const ADMIN = 'admin-key-memfs';
let t: TestApp;
let a: OrgWithKey;
let b: OrgWithKey;
let agentId: string;
const g = gitSandbox();
const repoUrl = () => `${t.url}/v1/git/${agentId}/state.git`;
const clone = (name: string, key = a.key) => g.run(g.home, [...basicAuthArgs(key), 'clone', repoUrl(), name]);
const inRepo = (name: string, args: string[], key = a.key) => g.run(g.dir(name), [...basicAuthArgs(key), ...args]);
const block = async (label: string) =>
  (await callAs(t.app, a.key, 'GET', `/v1/agents/${agentId}/core-memory/blocks/${encodeURIComponent(label)}`)).body;

beforeAll(async () => {
  t = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: ADMIN }, { listen: true });
  a = await createOrgWithKey(t.app, ADMIN, 'Alpha');
  b = await createOrgWithKey(t.app, ADMIN, 'Beta');
  const agent = await callAs(t.app, a.key, 'POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [
      { label: 'human', value: 'Name: Ada', description: 'The user' },
      { label: 'persona', value: 'I am helpful.' },
      { label: 'locked', value: 'Do not change.', read_only: true },
    ],
  });
  expect(agent.status, JSON.stringify(agent.body)).toBe(200);
  agentId = agent.body.id;
});

afterAll(async () => {
  await t?.close();
  g.cleanup();
});

describe('git-backed memory over smart HTTP', () => {
  it('clones the attached blocks as system/<label>.md with YAML frontmatter', async () => {
    const r = await clone('one');
    expect(r.code, r.stderr).toBe(0);
    const human = readFileSync(join(g.dir('one'), 'system/human.md'), 'utf8');
    expect(human).toBe('---\ndescription: The user\nlimit: 100000\n---\nName: Ada');
    expect(readFileSync(join(g.dir('one'), 'system/locked.md'), 'utf8')).toContain('read_only: true');
  });

  it('turns a pushed commit into block edits: change, create (nested label), detach', async () => {
    const dir = g.dir('one');
    writeFileSync(join(dir, 'system/human.md'), '---\ndescription: The user\nlimit: 100000\n---\nName: Ada Lovelace\n');
    mkdirSync(join(dir, 'system/projects'));
    writeFileSync(join(dir, 'system/projects/mnemo.md'), '---\ndescription: Current project\n---\nA git-backed memory.');
    rmSync(join(dir, 'system/persona.md'));
    writeFileSync(join(dir, 'notes.txt'), 'kept as a plain file');
    expect((await inRepo('one', ['add', '-A'])).code).toBe(0);
    expect((await inRepo('one', ['commit', '-m', 'edit memory'])).code).toBe(0);
    const push = await inRepo('one', ['push']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('memory updated: 1 changed, 1 created, 1 detached');

    expect((await block('human')).value).toBe('Name: Ada Lovelace\n');
    expect(await block('projects/mnemo')).toMatchObject({ value: 'A git-backed memory.', description: 'Current project' });
    const labels = (await callAs(t.app, a.key, 'GET', `/v1/agents/${agentId}/core-memory/blocks`)).body.map(
      (x: { label: string }) => x.label,
    );
    expect(labels.sort()).toEqual(['human', 'locked', 'projects/mnemo']);
  });

  it('makes an API edit a new commit that git pull brings down', async () => {
    const patched = await callAs(t.app, a.key, 'PATCH', `/v1/agents/${agentId}/core-memory/blocks/human`, { value: 'Name: Ada (via API)' });
    expect(patched.status).toBe(200);
    const pull = await inRepo('one', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(g.dir('one'), 'system/human.md'), 'utf8')).toMatch(/---\nName: Ada \(via API\)$/);
    const log = await inRepo('one', ['log', '-1', '--format=%s']);
    expect(log.stdout.trim()).toBe('Update memory from the API: system/human.md');
    expect(readFileSync(join(g.dir('one'), 'notes.txt'), 'utf8')).toBe('kept as a plain file');
  });

  it('refuses a push that is not a fast-forward and never rewrites history', async () => {
    await callAs(t.app, a.key, 'PATCH', `/v1/agents/${agentId}/core-memory/blocks/human`, { value: 'Edited on the server' });
    writeFileSync(join(g.dir('one'), 'system/human.md'), '---\ndescription: The user\n---\nEdited locally');
    await inRepo('one', ['commit', '-am', 'local edit']);
    const push = await inRepo('one', ['push']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/fetch first|non-fast-forward/);
    const forced = await inRepo('one', ['push', '--force']);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('not a fast-forward: the server never rewrites memory history');
    expect((await block('human')).value).toBe('Edited on the server');
    const merged = await inRepo('one', ['pull', '--rebase=false', '-X', 'ours', '--no-edit']);
    expect(merged.code, merged.stderr).toBe(0);
    const again = await inRepo('one', ['push']);
    expect(again.code, again.stderr).toBe(0);
    expect((await block('human')).value).toBe('Edited locally');
  });

  it('rejects bad frontmatter with a message naming the file, and keeps read-only blocks', async () => {
    const dir = g.dir('one');
    writeFileSync(join(dir, 'system/human.md'), '---\ndescription: [unclosed\n---\nbody');
    writeFileSync(join(dir, 'system/projects/mnemo.md'), '---\ncolour: blue\n---\nbody');
    writeFileSync(join(dir, 'system/locked.md'), '---\nread_only: true\n---\nChanged anyway');
    await inRepo('one', ['commit', '-am', 'bad frontmatter']);
    const push = await inRepo('one', ['push']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('system/human.md: frontmatter is not valid YAML');
    expect(push.stderr).toContain("system/projects/mnemo.md: unknown frontmatter key 'colour'");
    expect(push.stderr).toContain('system/locked.md: the block is read-only');
    expect((await block('human')).value).toBe('Edited locally');
    expect((await block('locked')).value).toBe('Do not change.');
    await inRepo('one', ['reset', '--hard', 'origin/main']);
  });

  it('refuses a wrong key (401 with a Basic challenge) and another organization (404)', async () => {
    const helper = '!f() { echo username=letta; echo password=not-a-key; }; f';
    const wrong = await g.run(g.home, ['-c', `credential.helper=${helper}`, 'clone', repoUrl(), 'wrong']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Authentication failed');
    const other = await clone('other', b.key);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/not found|404/);
    const bare = await t.app.inject({ url: `/v1/git/${agentId}/state.git/info/refs?service=git-upload-pack` });
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['www-authenticate']).toContain('Basic');
    const asB = await callAs(t.app, b.key, 'GET', `/v1/git/${agentId}/state.git/info/refs?service=git-upload-pack`);
    expect(asB.status).toBe(404);
    const pushAsB = await t.app.inject({
      method: 'POST',
      url: `/v1/git/${agentId}/state.git/git-receive-pack`,
      headers: { authorization: `Bearer ${b.key}`, 'content-type': 'application/x-git-receive-pack-request' },
      payload: Buffer.from('0000'),
    });
    expect(pushAsB.statusCode).toBe(404);
  });

  it('refuses a push body over MNEMO_GIT_MAX_PUSH_BYTES with 413 before git sees it', async () => {
    const headers = { authorization: `Bearer ${a.key}`, 'content-type': 'application/x-git-receive-pack-request' };
    const big = await t.app.inject({
      method: 'POST',
      url: `/v1/git/${agentId}/state.git/git-receive-pack`,
      headers,
      payload: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(big.statusCode).toBe(413);
    expect((await block('human')).value).toBe('Edited locally');
  });

  it('works with a credential helper answering username letta and the key', async () => {
    const helper = `!f() { echo username=letta; echo password=${a.key}; }; f`;
    const r = await g.run(g.home, ['-c', `credential.helper=${helper}`, 'clone', repoUrl(), 'helper']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(g.dir('helper'), 'system/human.md'), 'utf8')).toContain('Edited locally');
  });
});
