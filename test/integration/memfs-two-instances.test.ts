// Two server processes' worth of app on one database: the repository lives in the database, not in either cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { basicAuthArgs, gitSandbox } from '../support/git-cli.js';
import { call, TEST_ENV } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { App } from '../../src/http/app-type.js';

const env = { ...TEST_ENV, LOG_LEVEL: 'silent', MNEMO_DATA_DIR: '/nonexistent' } as const;
let one: TestApp;
let two: { app: App; url: string; close(): Promise<void> };
let agentId: string;
const g = gitSandbox();

/** A second app on the same database: its own pool on PostgreSQL, the same embedded instance on PGlite. */
async function secondInstance(first: TestApp) {
  const url = 'url' in first.ctx.dbh && typeof first.ctx.dbh.url === 'string' ? first.ctx.dbh.url : undefined;
  const dbh: DbHandle = url ? await openDb({ databaseUrl: url, poolMax: 4 }) : { ...first.ctx.dbh, close: async () => {} };
  const ctx = await createContext(loadConfig(env), { dbh, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return {
    app,
    url: typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '',
    close: async () => (await app.close(), await ctx.close()),
  };
}

const repo = (base: string) => `${base}/v1/git/${agentId}/state.git`;
const git = (name: string, args: string[]) => g.run(g.dir(name), [...basicAuthArgs('unused'), ...args]);

beforeAll(async () => {
  one = await createTestApp(env, { listen: true });
  two = await secondInstance(one);
  const agent = await call(one.app, 'POST', '/v1/agents/', {
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [{ label: 'human', value: 'v0' }],
  });
  agentId = agent.body.id;
});

afterAll(async () => {
  await two?.close();
  await one?.close();
  g.cleanup();
});

describe('git-backed memory on two app instances sharing one database', () => {
  it('a push through one instance is what the other serves, and API edits on either reach both', async () => {
    expect((await g.run(g.home, ['clone', repo(one.url), 'a'])).code).toBe(0);
    expect((await g.run(g.home, ['clone', repo(two.url), 'b'])).code).toBe(0);
    writeFileSync(join(g.dir('a'), 'system/human.md'), '---\nlimit: 100000\n---\nv1 pushed to one');
    await git('a', ['commit', '-am', 'v1']);
    const push = await git('a', ['push']);
    expect(push.code, push.stderr).toBe(0);

    const pull = await git('b', ['pull', '--ff-only']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(g.dir('b'), 'system/human.md'), 'utf8')).toContain('v1 pushed to one');
    expect((await call(two.app, 'GET', `/v1/agents/${agentId}/core-memory/blocks/human`)).body.value).toBe('v1 pushed to one');

    await call(two.app, 'PATCH', `/v1/agents/${agentId}/core-memory/blocks/human`, { value: 'v2 via API on two' });
    expect((await git('a', ['pull', '--ff-only'])).code).toBe(0);
    expect(readFileSync(join(g.dir('a'), 'system/human.md'), 'utf8')).toContain('v2 via API on two');
  });

  it('of two racing pushes from the same tip to different instances, exactly one lands', async () => {
    expect((await git('b', ['pull', '--ff-only'])).code).toBe(0);
    writeFileSync(join(g.dir('a'), 'system/human.md'), '---\nlimit: 100000\n---\nfrom a');
    writeFileSync(join(g.dir('b'), 'system/human.md'), '---\nlimit: 100000\n---\nfrom b');
    await git('a', ['commit', '-am', 'a']);
    await git('b', ['commit', '-am', 'b']);
    const [pa, pb] = await Promise.all([git('a', ['push']), git('b', ['push'])]);
    expect([pa.code, pb.code].filter((c) => c === 0)).toHaveLength(1);
    const value = (await call(one.app, 'GET', `/v1/agents/${agentId}/core-memory/blocks/human`)).body.value;
    expect(value).toBe(pa.code === 0 ? 'from a' : 'from b');
  });
});
