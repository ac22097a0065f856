// Git's smart HTTP for memory repositories: syncs the database into the cache, then lets git-http-backend answer.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';
import { baseGitEnv, GIT, GIT_HTTP_BACKEND, parseCgi, runProcess, type CgiResponse } from './git-process.js';
import type { MemfsService } from './memfs.service.js';
import { createHookServer, hookFiles } from './push-hook.js';
import { materialize } from './repo-cache.js';

type GitService = 'git-upload-pack' | 'git-receive-pack';
export type GitRequest = {
  method: 'GET' | 'POST';
  /** `info/refs` (the advertisement) or the service's own path. */
  path: 'info/refs' | GitService;
  service?: GitService;
  contentType?: string;
  contentEncoding?: string;
  gitProtocol?: string;
  body?: Buffer;
};
export type GitHttpOptions = {
  cacheDir: string;
  timeoutMs: number;
  maxResponseBytes: number;
  maxObjects: number;
  maxUnpackedBytes: number;
  log: Logger;
};

/** apt's `git` package provides both binaries. */
export function gitInstalled(): boolean {
  return existsSync(GIT) && existsSync(GIT_HTTP_BACKEND);
}

export async function createGitHttp(memfs: MemfsService, o: GitHttpOptions) {
  const root = mkdtempSync(join(o.cacheDir, 'mnemo-memfs-'));
  const hook = hookFiles(root);
  writeFileSync(join(root, 'pre-receive.mjs'), hook.script, { mode: 0o600 });
  const hooks = createHookServer(
    hook.socket,
    { maxObjects: o.maxObjects, maxUnpackedBytes: o.maxUnpackedBytes, timeoutMs: o.timeoutMs },
    (t, oldSha, newSha, objects) => memfs.applyPush(t.actor, t.agentId, oldSha, newSha, objects),
  );
  await hooks.listen();
  const queues = new Map<string, Promise<unknown>>();

  /** One git request per repository at a time in this process (the cache directory is shared). */
  function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => queues.get(key) === tail && queues.delete(key));
    return run;
  }

  async function serve(actor: Actor, agentId: string, req: GitRequest): Promise<CgiResponse> {
    // API edits become a commit first (a push based on an older tip is then refused as not a fast-forward).
    await memfs.sync(actor, agentId);
    return serialized(agentId, async () => {
      const dir = await materialize(root, agentId, memfs, hook.shell);
      const expected = req.path === 'git-receive-pack' ? hooks.expect({ actor, agentId, dir }) : undefined;
      try {
        const run = await runProcess(GIT_HTTP_BACKEND, [], {
          env: cgiEnv(agentId, req, expected?.token),
          input: req.body,
          maxOutputBytes: o.maxResponseBytes,
          timeoutMs: o.timeoutMs,
        });
        if (run.stderr.trim()) o.log.debug({ agentId, stderr: run.stderr.trim() }, 'git-http-backend');
        return parseCgi(run.stdout);
      } catch (e) {
        o.log.error({ agentId, err: e }, 'git-http-backend failed');
        throw new AppError('the git backend failed to answer', 502);
      } finally {
        expected?.done();
      }
    });
  }

  function cgiEnv(agentId: string, req: GitRequest, token: string | undefined): Record<string, string> {
    const env: Record<string, string> = {
      ...baseGitEnv(root),
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${agentId}.git/${req.path}`,
      REQUEST_METHOD: req.method,
      QUERY_STRING: req.service ? `service=${req.service}` : '',
      REMOTE_USER: 'letta',
      REMOTE_ADDR: '127.0.0.1',
      CONTENT_LENGTH: String(req.body?.length ?? 0),
      MNEMO_MEMFS_SOCKET: hook.socket,
    };
    if (req.contentType) env.CONTENT_TYPE = req.contentType;
    if (req.contentEncoding) env.HTTP_CONTENT_ENCODING = req.contentEncoding;
    if (req.gitProtocol) env.GIT_PROTOCOL = req.gitProtocol;
    if (token) env.MNEMO_MEMFS_TOKEN = token;
    return env;
  }

  return {
    serve,
    async close() {
      await hooks.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export type GitHttp = Awaited<ReturnType<typeof createGitHttp>>;
