// The real git CLI against a listening server: isolated HOME, no prompts, no system or user configuration.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type GitResult = { code: number; stdout: string; stderr: string };

export function gitSandbox() {
  const home = mkdtempSync(join(tmpdir(), 'mnemo-git-test-'));
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Tester',
    GIT_AUTHOR_EMAIL: 'tester@example.invalid',
    GIT_COMMITTER_NAME: 'Tester',
    GIT_COMMITTER_EMAIL: 'tester@example.invalid',
  };
  return {
    home,
    dir: (name: string) => join(home, name),
    run(cwd: string, args: string[]): Promise<GitResult> {
      return new Promise((resolve) => {
        execFile('git', args, { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        });
      });
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** `-c http.extraHeader=Authorization: Basic …` as Letta Code sends it (username letta, the key as password). */
export function basicAuthArgs(key: string): string[] {
  return ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`letta:${key}`).toString('base64')}`];
}
