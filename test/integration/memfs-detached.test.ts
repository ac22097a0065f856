// Detached blocks in the memory repository, through the real git CLI: files outside system/ are blocks the agent owns
// without having them in its context; moving a file into or out of system/ attaches or detaches its block.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithKey, callAs, type OrgWithKey } from '../support/orgs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENV } from '../support/http.js';
import { basicAuthArgs, gitSandbox } from '../support/git-cli.js';

const ADMIN = 'admin-key-memfs-detached';
let t: TestApp;
let a: OrgWithKey;
let agentId: string;
const g = gitSandbox();
const repoUrl = () => `${t.url}/v1/git/${agentId}/state.git`;
const git = (name: string, args: string[]) => g.run(g.dir(name), [...basicAuthArgs(a.key), ...args]);
const file = (name: string, path: string) => join(g.dir(name), path);
const api = (method: string, url: string, body?: unknown) => callAs(t.app, a.key, method, url, body);
const attachedLabels = async () =>
  ((await api('GET', `/v1/agents/${agentId}/core-memory/blocks`)).body as { label: string }[]).map((b) => b.label).sort();
const blockByLabel = async (label: string) =>
  ((await api('GET', `/v1/blocks/?label=${encodeURIComponent(label)}`)).body as { id: string; label: string; value: string }[])[0];

async function commitAndPush(name: string, message: string) {
  expect((await git(name, ['add', '-A'])).code).toBe(0);
  expect((await git(name, ['commit', '-m', message])).code).toBe(0);
  return git(name, ['push']);
}

beforeAll(async () => {
  t = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: ADMIN }, { listen: true });
  a = await createOrgWithKey(t.app, ADMIN, 'Alpha');
  const agent = await api('POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [
      { label: 'human', value: 'Name: Ada', description: 'The user' },
      { label: 'persona', value: 'I am helpful.', description: 'Who I am' },
      { label: 'locked', value: 'Do not change.', read_only: true },
    ],
  });
  expect(agent.status, JSON.stringify(agent.body)).toBe(200);
  agentId = agent.body.id;
  const r = await g.run(g.home, [...basicAuthArgs(a.key), 'clone', repoUrl(), 'one']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(async () => {
  await t?.close();
  g.cleanup();
});

describe('detached blocks in the memory repository', () => {
  it('creates a detached block from a file outside system/ and detaches a block whose file moves out', async () => {
    mkdirSync(file('one', 'reference'));
    writeFileSync(file('one', 'reference/api.md'), '---\nname: api\ndescription: The API notes\n---\nGET /v1/health');
    renameSync(file('one', 'system/persona.md'), file('one', 'persona.md'));
    writeFileSync(file('one', 'persona.md'), '---\ndescription: Who I am\n---\nI am helpful and brief.');
    mkdirSync(file('one', 'skills/greeting'), { recursive: true });
    writeFileSync(file('one', 'skills/greeting/SKILL.md'), '---\nname: greeting\nwhen: always\n---\nSay hello.');
    const push = await commitAndPush('one', 'reference notes; persona out of context');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('memory updated: 1 changed, 1 created, 1 detached, 0 attached, 0 removed');

    expect(await attachedLabels()).toEqual(['human', 'locked']);
    expect(await blockByLabel('reference/api')).toMatchObject({ value: 'GET /v1/health', description: 'The API notes' });
    expect(await blockByLabel('persona')).toMatchObject({ value: 'I am helpful and brief.' });
    expect(await blockByLabel('skills/greeting')).toBeUndefined();

    const again = await g.run(g.home, [...basicAuthArgs(a.key), 'clone', repoUrl(), 'two']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(file('two', 'persona.md'), 'utf8')).toBe('---\ndescription: Who I am\n---\nI am helpful and brief.');
    expect(existsSync(file('two', 'system/persona.md'))).toBe(false);
    expect(readFileSync(file('two', 'skills/greeting/SKILL.md'), 'utf8')).toContain('when: always');
  });

  it('makes an API edit of a detached block a commit that git pull brings down', async () => {
    const persona = await blockByLabel('persona');
    expect((await api('PATCH', `/v1/blocks/${persona!.id}`, { value: 'Edited through the API' })).status).toBe(200);
    const pull = await git('one', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(file('one', 'persona.md'), 'utf8')).toMatch(/---\nEdited through the API$/);
    expect((await git('one', ['log', '-1', '--format=%s'])).stdout.trim()).toBe('Update memory from the API: persona.md');
  });

  it('attaches a detached block whose file moves into system/, and removes one whose file is deleted', async () => {
    const api1 = await blockByLabel('reference/api');
    renameSync(file('one', 'persona.md'), file('one', 'system/persona.md'));
    rmSync(file('one', 'reference/api.md'));
    const push = await commitAndPush('one', 'persona back in context; api notes gone');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('memory updated: 0 changed, 0 created, 0 detached, 1 attached, 1 removed');
    expect(await attachedLabels()).toEqual(['human', 'locked', 'persona']);
    expect((await blockByLabel('persona'))?.value).toBe('Edited through the API');
    expect((await api('GET', `/v1/blocks/${api1!.id}`)).status).toBe(404);
  });

  it('rejects a label both attached and detached, and bad frontmatter outside system/, naming the files', async () => {
    writeFileSync(file('one', 'human.md'), '---\ndescription: The user\n---\nA second copy');
    writeFileSync(file('one', 'notes.md'), '---\ncolour: blue\n---\nbody');
    const push = await commitAndPush('one', 'bad');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('system/human.md and human.md: one block cannot be both attached and detached');
    expect(push.stderr).toContain("notes.md: unknown frontmatter key 'colour'");
    expect(await blockByLabel('notes')).toBeUndefined();
    expect((await git('one', ['reset', '--hard', 'origin/main'])).code).toBe(0);
  });

  it('moves a block detached or attached through the API out of and into system/ as commits', async () => {
    const human = await blockByLabel('human');
    expect((await api('PATCH', `/v1/agents/${agentId}/core-memory/blocks/detach/${human!.id}`)).status).toBe(200);
    let pull = await git('one', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(existsSync(file('one', 'system/human.md'))).toBe(false);
    expect(readFileSync(file('one', 'human.md'), 'utf8')).toContain('Name: Ada');
    expect((await git('one', ['log', '-1', '--format=%s'])).stdout.trim()).toBe('Update memory from the API: human.md, system/human.md');

    expect((await api('PATCH', `/v1/agents/${agentId}/core-memory/blocks/attach/${human!.id}`)).status).toBe(200);
    pull = await git('one', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(existsSync(file('one', 'human.md'))).toBe(false);
    expect(readFileSync(file('one', 'system/human.md'), 'utf8')).toContain('Name: Ada');
    expect(await attachedLabels()).toEqual(['human', 'locked', 'persona']);
  });

  it('refuses to attach a block whose label the agent already owns detached', async () => {
    writeFileSync(file('one', 'ideas.md'), '---\ndescription: Ideas\n---\nOne idea');
    expect((await commitAndPush('one', 'ideas')).code).toBe(0);
    const other = await api('POST', '/v1/blocks/', { label: 'ideas', value: 'Another' });
    expect(other.status).toBe(200);
    const attach = await api('PATCH', `/v1/agents/${agentId}/core-memory/blocks/attach/${other.body.id}`);
    expect(attach.status).toBe(409);
    expect(await attachedLabels()).toEqual(['human', 'locked', 'persona']);
  });

  it('keeps a block that moves to another path with its text unchanged, relabelled (system/ → reference/)', async () => {
    const persona = await blockByLabel('persona');
    mkdirSync(file('one', 'reference'), { recursive: true });
    renameSync(file('one', 'system/persona.md'), file('one', 'reference/persona.md'));
    const push = await commitAndPush('one', 'persona becomes reference material');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('memory updated: 1 changed, 0 created, 1 detached, 0 attached, 0 removed');
    expect(await attachedLabels()).toEqual(['human', 'locked']);
    const moved = await api('GET', `/v1/blocks/${persona!.id}`);
    expect(moved.body).toMatchObject({ label: 'reference/persona', value: 'Edited through the API' });
    expect(await blockByLabel('persona')).toBeUndefined();
    const pull = await git('one', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(existsSync(file('one', 'reference/persona.md'))).toBe(true);
  });
});
