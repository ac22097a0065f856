// git's pre-receive hook, relayed to this process over a Unix socket in the owner-only cache directory: the server
// reads the pushed objects from git's quarantine, applies them to the database, and only then lets git take the push.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Actor } from '../actor.js';
import type { GitObject, GitObjectType } from './git-objects.js';
import { baseGitEnv, GIT, runProcess } from './git-process.js';
import type { PushOutcome } from './memfs.service.js';

/** The hook itself: hands git's ref updates and quarantine to the server, prints its answer, exits with its verdict. */
const HOOK_CLIENT = `import { connect } from 'node:net';
const e = process.env;
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const out = [];
const done = (ok, message) => { process.stderr.write(message + '\\n'); process.exit(ok ? 0 : 1); };
const sock = connect(e.MNEMO_MEMFS_SOCKET);
sock.setTimeout(120000, () => done(false, 'the memory server did not answer in time'));
sock.on('error', (err) => done(false, 'the memory server is unreachable: ' + err.message));
sock.on('data', (d) => out.push(d));
sock.on('end', () => {
  try { const r = JSON.parse(Buffer.concat(out).toString('utf8')); done(r.ok === true, String(r.message)); }
  catch { done(false, 'the memory server gave no answer'); }
});
sock.end(JSON.stringify({ token: e.MNEMO_MEMFS_TOKEN, updates: Buffer.concat(chunks).toString('utf8'),
  objects: e.GIT_OBJECT_DIRECTORY || '', alternates: e.GIT_ALTERNATE_OBJECT_DIRECTORIES || '', quarantine: e.GIT_QUARANTINE_PATH || '' }));
`;

export type PushLimits = { maxObjects: number; maxUnpackedBytes: number; timeoutMs: number };
export type PushTarget = { actor: Actor; agentId: string; dir: string };
export type ApplyPush = (t: PushTarget, oldSha: string, newSha: string, objects: GitObject[]) => Promise<PushOutcome>;

const ZERO = '0'.repeat(40);
const SHA = /^[0-9a-f]{40}$/;

export function hookFiles(root: string): { script: string; shell: string; socket: string } {
  const script = join(root, 'pre-receive.mjs');
  if ([process.execPath, script].some((p) => p.includes("'"))) throw new Error('the node or cache path contains a quote');
  return { script: HOOK_CLIENT, shell: `#!/bin/sh\nexec '${process.execPath}' '${script}'\n`, socket: join(root, 'hook.sock') };
}

export function createHookServer(socketPath: string, limits: PushLimits, apply: ApplyPush) {
  const pending = new Map<string, PushTarget>();
  const server: Server = createServer({ allowHalfOpen: true }, (sock) => {
    const chunks: Buffer[] = [];
    let size = 0;
    sock.on('data', (d: Buffer) => {
      size += d.length;
      if (size > 1_000_000) sock.destroy();
      else chunks.push(d);
    });
    sock.on('error', () => {});
    sock.on('end', () => {
      void handle(Buffer.concat(chunks).toString('utf8'))
        .catch((e: unknown) => ({ ok: false, message: `the push failed at the server: ${e instanceof Error ? e.message : String(e)}` }))
        .then((r) => sock.end(JSON.stringify(r)));
    });
  });

  async function handle(text: string): Promise<PushOutcome> {
    const req: unknown = JSON.parse(text);
    if (typeof req !== 'object' || req === null || !('token' in req) || typeof req.token !== 'string')
      throw new Error('malformed hook request');
    const target = pending.get(req.token);
    if (!target) throw new Error('unknown push');
    const r = req as { updates?: unknown; objects?: unknown; alternates?: unknown; quarantine?: unknown };
    const env = quarantineEnv(target.dir, String(r.objects ?? ''), String(r.alternates ?? ''), String(r.quarantine ?? ''));
    return receive(target, String(r.updates ?? ''), env);
  }

  async function receive(target: PushTarget, updates: string, env: Record<string, string>): Promise<PushOutcome> {
    const lines = updates
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '));
    const [oldSha, newSha, ref] = lines[0] ?? [];
    if (lines.length !== 1 || ref !== 'refs/heads/main' || !oldSha || !newSha || !SHA.test(oldSha) || !SHA.test(newSha)) {
      return { ok: false, message: 'only the branch main can be pushed to a memory repository' };
    }
    if (newSha === ZERO) return { ok: false, message: 'main cannot be deleted' };
    if (oldSha !== ZERO) {
      const ff = await runProcess(GIT, ['merge-base', '--is-ancestor', oldSha, newSha], {
        env,
        maxOutputBytes: 4096,
        timeoutMs: limits.timeoutMs,
      });
      if (ff.code !== 0) {
        return {
          ok: false,
          message: 'not a fast-forward: the server never rewrites memory history; fetch, merge or rebase, and push again',
        };
      }
    }
    const objects = await readObjects(env, newSha, oldSha);
    return apply(target, oldSha, newSha, objects);
  }

  async function readObjects(env: Record<string, string>, newSha: string, oldSha: string): Promise<GitObject[]> {
    const args = ['rev-list', '--objects', newSha, ...(oldSha === ZERO ? [] : ['--not', oldSha])];
    const list = await runProcess(GIT, args, { env, maxOutputBytes: limits.maxObjects * 4200, timeoutMs: limits.timeoutMs });
    if (list.code !== 0) throw new Error(`git rev-list failed: ${list.stderr.trim()}`);
    const shas = list.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => l.slice(0, 40))
      .filter((s) => SHA.test(s));
    if (shas.length > limits.maxObjects) throw new Error(`the push holds more than ${limits.maxObjects} objects`);
    const cat = await runProcess(GIT, ['cat-file', '--batch'], {
      env,
      input: Buffer.from(`${shas.join('\n')}\n`),
      maxOutputBytes: limits.maxUnpackedBytes,
      timeoutMs: limits.timeoutMs,
    });
    if (cat.code !== 0) throw new Error(`git cat-file failed: ${cat.stderr.trim()}`);
    return parseBatch(cat.stdout);
  }

  return {
    listen: () => new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, () => resolve())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    /** Registers a push in progress; the token travels to the hook in its environment. */
    expect(target: PushTarget): { token: string; done(): void } {
      const token = randomBytes(24).toString('hex');
      pending.set(token, target);
      return { token, done: () => pending.delete(token) };
    },
  };
}

/** git's quarantine variables as the hook saw them, accepted only inside the repository directory. */
function quarantineEnv(dir: string, objects: string, alternates: string, quarantine: string): Record<string, string> {
  const inside = (p: string) => p.startsWith(`${dir}/`) && !p.includes('..');
  if (!inside(objects) || !inside(quarantine) || !alternates.split(':').every(inside)) throw new Error('unexpected quarantine paths');
  return {
    ...baseGitEnv(dir),
    GIT_DIR: dir,
    GIT_OBJECT_DIRECTORY: objects,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: alternates,
    GIT_QUARANTINE_PATH: quarantine,
  };
}

function parseBatch(out: Buffer): GitObject[] {
  const objects: GitObject[] = [];
  let i = 0;
  while (i < out.length) {
    const nl = out.indexOf('\n', i);
    const [sha, type, size] = out.toString('latin1', i, nl).split(' ');
    const n = Number(size);
    if (!sha || !Number.isInteger(n) || (type !== 'blob' && type !== 'tree' && type !== 'commit')) {
      throw new Error(`unexpected object in the push: ${out.toString('latin1', i, Math.min(nl, i + 80))}`);
    }
    objects.push({ sha, type: type satisfies GitObjectType, data: Buffer.from(out.subarray(nl + 1, nl + 1 + n)) });
    i = nl + 1 + n + 1;
  }
  return objects;
}
