// Runs the installed Letta Code CLI (`letta`, 0.25.9) headless with a scratch HOME and project folder, against a
// Mnemo server; killed and reported after the time limit, so a CLI that cannot start or hangs fails loudly.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedRequest } from '../support/scripted-llm.js';

export const LETTA_BIN = resolve('node_modules/.bin/letta');
export const RUN_TIMEOUT_MS = 120_000;

export type CliResult = { code: number | null; stdout: string; stderr: string; json: Record<string, any> | undefined };

export type LettaRun = { home: string; baseUrl: string; apiKey: string; extraEnv?: Record<string, string> };

export function runLetta(o: LettaRun, args: string[]): Promise<CliResult> {
  const cwd = join(o.home, 'project');
  mkdirSync(cwd, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: o.home,
    TERM: 'dumb',
    NO_COLOR: '1',
    LETTA_CODE_TELEM: '0',
    DISABLE_AUTOUPDATER: '1',
    LETTA_BASE_URL: o.baseUrl,
    LETTA_API_KEY: o.apiKey,
    ...o.extraEnv,
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [LETTA_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`letta did not finish within ${RUN_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new Error(`letta could not start: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, any> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, any>;
      } catch {
        json = undefined;
      }
      done({ code, stdout, stderr, json });
    });
  });
}

export const toolNames = (req: RecordedRequest): string[] => (req.body.tools ?? []).map((x: any) => x.function?.name ?? x.name);
export const lastMessage = (req: RecordedRequest) => (req.body.messages ?? []).at(-1) as { role: string; content: unknown } | undefined;
