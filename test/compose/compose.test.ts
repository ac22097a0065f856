// The project's own docker-compose.yml and Dockerfile, unchanged, end to end: build, up, drive the server on its
// published port with the Letta SDK (model calls go to a scripted LLM on the Docker bridge's host address), then
// down/up and a rebuilt image, and everything written is still there. Needs a Docker engine with the base images
// (scripts/docker-images.sh); run with `npm run test:compose`.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Letta from '@letta-ai/letta-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { composeCommand, dockerBridgeGateway, run, type RunResult } from './docker.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROJECT = `mnemo-e2e-${randomBytes(4).toString('hex')}`;
const KEY = randomBytes(24).toString('hex');
const PORT = 8283;
const BASE = `http://127.0.0.1:${PORT}`;
const NOTE = 'The lighthouse keeper logs the fog horn at dawn.';

let compose: string[] = [];
let llm: ScriptedLlm | undefined;
let env: NodeJS.ProcessEnv = {};
let client: Letta;
const ids = { agent: '', passage: '', image: '', container: '' };
/** Every volume the project's containers mounted, to check that teardown leaves none behind. */
const mounted = new Set<string>();

/** A compose command for this test's project, on the project's compose file. */
function dc(args: string[], timeoutMs = 120_000, extraEnv: NodeJS.ProcessEnv = env): Promise<RunResult> {
  const [cmd, ...pre] = compose;
  return run(cmd!, [...pre, '-p', PROJECT, '-f', 'docker-compose.yml', ...args], { cwd: ROOT, env: extraEnv, timeoutMs });
}

async function dcOk(args: string[], timeoutMs?: number): Promise<string> {
  const r = await dc(args, timeoutMs);
  if (r.code !== 0) throw new Error(`compose ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

async function docker(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return run('docker', args, { cwd: ROOT, timeoutMs });
}

/** Waits (bounded) for the mnemo container's own healthcheck, then returns its id. */
async function waitHealthy(): Promise<string> {
  const deadline = Date.now() + 300_000;
  let status = '';
  while (Date.now() < deadline) {
    const id = (await dcOk(['ps', '-q', 'mnemo'])).trim();
    if (id) {
      status = (await docker(['inspect', '-f', '{{.State.Status}} {{.State.Health.Status}}', id])).stdout.trim();
      if (status === 'running healthy') {
        await rememberMounts();
        return id;
      }
      if (status.startsWith('exited')) break; // `unhealthy` may still turn healthy before the deadline
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const logs = await dc(['logs', '--no-color', '--tail', '80', 'mnemo']);
  throw new Error(`mnemo did not become healthy (${status || 'no container'}):\n${logs.stdout}${logs.stderr}`);
}

async function rememberMounts(): Promise<void> {
  for (const id of (await dcOk(['ps', '-q'])).split('\n').filter(Boolean)) {
    const names = (await docker(['inspect', '-f', '{{range .Mounts}}{{.Name}} {{end}}', id])).stdout.trim();
    for (const name of names.split(/\s+/).filter(Boolean)) mounted.add(name);
  }
}

/** What the first run wrote, read back through the SDK. */
async function expectStateKept(): Promise<void> {
  const agent = await client.agents.retrieve(ids.agent);
  expect(agent.name).toBe('keeper');
  const texts: string[] = [];
  for await (const m of client.agents.messages.list(ids.agent, { order: 'asc' })) {
    if (m.message_type === 'user_message' || m.message_type === 'assistant_message') texts.push(JSON.stringify(m.content));
  }
  expect(texts.join('\n')).toContain('Remember the lighthouse.');
  expect(texts.join('\n')).toContain('Noted, the lighthouse.');
  const passages = await client.agents.passages.list(ids.agent);
  expect(passages.map((p) => p.id)).toContain(ids.passage);
  const hits = await client.agents.passages.search(ids.agent, { query: 'lighthouse fog horn' });
  expect(hits.results[0]?.content).toBe(NOTE);
}

beforeAll(async () => {
  compose = await composeCommand();
  llm = await startScriptedLlm({ host: await dockerBridgeGateway() });
  env = {
    ...process.env,
    MNEMO_API_KEY: KEY,
    MNEMO_PUBLISH: `127.0.0.1:${PORT}`,
    OPENAI_API_KEY: 'sk-scripted',
    OPENAI_BASE_URL: llm.openaiBaseUrl,
    LOG_LEVEL: 'info',
  };
  client = new Letta({ baseURL: BASE, apiKey: KEY });
});

afterAll(async () => {
  // Containers, network, the data volume and the image built for this project go; the base images stay.
  if (compose.length > 0) await dc(['down', '--volumes', '--remove-orphans', '--rmi', 'local'], 180_000);
  await llm?.close();
});

describe('docker compose self-hosting', () => {
  it('refuses to start without MNEMO_API_KEY, naming it', async () => {
    const { MNEMO_API_KEY: _, ...noKey } = env;
    const r = await dc(['config'], 60_000, noKey);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('MNEMO_API_KEY');
  });

  it('builds and starts healthy: node under tini as a non-root user, no npm or tsx, a volume for embedded data', async () => {
    await dcOk(['build'], 1_200_000);
    await dcOk(['up', '-d'], 300_000);
    ids.container = await waitHealthy();
    ids.image = (await docker(['inspect', '-f', '{{.Image}}', ids.container])).stdout.trim();
    const image = JSON.parse((await docker(['image', 'inspect', ids.image])).stdout)[0].Config;
    expect(image.User).toBe('node');
    expect(image.Entrypoint).toEqual(['tini', '--']);
    expect(image.Cmd).toEqual(['node', 'dist/main.js']);
    expect(Object.keys(image.Volumes ?? {})).toContain('/data');
    expect(image.Healthcheck?.Test?.join(' ')).toContain('/v1/health/');
    // uid and command line of every process in the container; a healthcheck probe (`node -e`) may be among them.
    const top = (await docker(['top', ids.container, '-eo', 'pid,uid,args'])).stdout
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .map(([, uid, ...args]) => ({ uid, cmd: args.join(' ') }));
    const server = top.filter((p) => !p.cmd.startsWith('node -e'));
    expect(server.map((p) => p.cmd)).toEqual(['tini -- node dist/main.js', 'node dist/main.js']);
    for (const p of top) {
      expect(p.uid).toBe('1000');
      expect(p.cmd).not.toMatch(/npm|tsx/);
    }
  });

  it('the image alone refuses to listen beyond loopback without a key', async () => {
    const r = await docker(['run', '--rm', ids.image], 120_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MNEMO_API_KEY');
  });

  it('serves the Letta SDK on port 8283: an agent, a turn through the scripted LLM, archival memory', async () => {
    expect((await fetch(`${BASE}/v1/agents/`)).status).toBe(401);
    const agent = await client.agents.create({
      name: 'keeper',
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
      memory_blocks: [{ label: 'human', value: 'Name: Ada' }],
    });
    ids.agent = agent.id;
    llm!.enqueue({ text: 'Noted, the lighthouse.' });
    const res = await client.agents.messages.create(agent.id, { messages: [{ role: 'user', content: 'Remember the lighthouse.' }] });
    expect(res.stop_reason.stop_reason).toBe('end_turn');
    expect(llm!.requests.some((r) => r.path === '/v1/chat/completions')).toBe(true);
    const [passage] = await client.agents.passages.create(agent.id, { text: NOTE });
    ids.passage = passage!.id!;
    await expectStateKept();
  });

  it('keeps everything through down and up (the named volume holds the database)', async () => {
    await dcOk(['down'], 180_000);
    expect((await dc(['ps', '-q'])).stdout.trim()).toBe('');
    await dcOk(['up', '-d'], 300_000);
    await waitHealthy();
    await expectStateKept();
  });

  it('a rebuilt image starts on the same data, with every migration applied', async () => {
    await dcOk(['build', '--build-arg', `REVISION=${PROJECT}-second`], 1_200_000);
    await dcOk(['up', '-d'], 300_000);
    const container = await waitHealthy();
    const image = (await docker(['inspect', '-f', '{{.Image}}', container])).stdout.trim();
    expect(container).not.toBe(ids.container);
    expect(image).not.toBe(ids.image);
    await expectStateKept();
    const journal = JSON.parse(readFileSync(resolve(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const applied = await dcOk([
      'exec',
      '-T',
      'postgres',
      'psql',
      '-U',
      'mnemo',
      '-d',
      'mnemo',
      '-tAc',
      'SELECT count(*) FROM drizzle.__drizzle_migrations',
    ]);
    expect(Number(applied.trim())).toBe(journal.entries.length);
    llm!.enqueue({ text: 'Still here.' });
    const res = await client.agents.messages.create(ids.agent, { messages: [{ role: 'user', content: 'Still there?' }] });
    expect(res.stop_reason.stop_reason).toBe('end_turn');
  });

  it('down --volumes leaves no container, network or volume of the project', async () => {
    await dcOk(['down', '--volumes', '--remove-orphans'], 180_000);
    const label = `label=com.docker.compose.project=${PROJECT}`;
    expect((await docker(['ps', '-aq', '--filter', label])).stdout.trim()).toBe('');
    expect((await docker(['network', 'ls', '-q', '--filter', label])).stdout.trim()).toBe('');
    expect(mounted.size).toBeGreaterThanOrEqual(2); // the database's and the embedded folder's
    const left = (await docker(['volume', 'ls', '-q'])).stdout.split('\n').filter((v) => mounted.has(v));
    expect(left).toEqual([]);
  });
});
