// The per-process cache of bare repositories git-http-backend serves: rebuilt from the database before each request,
// so every server process on one database serves the same repository. Directories are owner-only (0700).
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { GitObject } from './git-objects.js';

export type RepoSource = {
  listObjectShas(agentId: string): Promise<string[]>;
  getObjects(agentId: string, shas: string[]): Promise<Map<string, GitObject>>;
  headOf(agentId: string): Promise<string | undefined>;
};

const CONFIG = `[core]
\trepositoryformatversion = 0
\tbare = true
\tlogallrefupdates = false
[http]
\treceivepack = true
[receive]
\tdenyNonFastForwards = true
\tdenyDeletes = true
\tfsckObjects = true
\tautogc = false
[gc]
\tauto = 0
`;

function repoDir(root: string, agentId: string): string {
  return join(root, `${agentId}.git`);
}

async function initRepo(dir: string, hookScript: string): Promise<void> {
  for (const sub of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags', 'hooks']) {
    await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  }
  await writeFile(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  await writeFile(join(dir, 'config'), CONFIG);
  await writeFile(join(dir, 'hooks', 'pre-receive'), hookScript, { mode: 0o700 });
  await chmod(dir, 0o700);
}

async function writeAtomically(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, path);
}

function loosePath(dir: string, sha: string): string {
  return join(dir, 'objects', sha.slice(0, 2), sha.slice(2));
}

/** Brings the cached repository up to the database: every object present, `main` at the stored tip. */
export async function materialize(root: string, agentId: string, source: RepoSource, hookScript: string): Promise<string> {
  const dir = repoDir(root, agentId);
  if (!existsSync(join(dir, 'HEAD'))) await initRepo(dir, hookScript);
  const missing = (await source.listObjectShas(agentId)).filter((sha) => !existsSync(loosePath(dir, sha)));
  for (let i = 0; i < missing.length; i += 500) {
    for (const o of (await source.getObjects(agentId, missing.slice(i, i + 500))).values()) {
      const path = loosePath(dir, o.sha);
      await mkdir(join(dir, 'objects', o.sha.slice(0, 2)), { recursive: true, mode: 0o700 });
      await writeAtomically(path, deflateSync(Buffer.concat([Buffer.from(`${o.type} ${o.data.length}\0`), o.data])));
    }
  }
  const head = await source.headOf(agentId);
  if (head) await writeAtomically(join(dir, 'refs', 'heads', 'main'), `${head}\n`);
  return dir;
}
