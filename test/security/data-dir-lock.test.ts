// One owner per embedded data folder, with real server processes: a second server on the same MNEMO_DATA_DIR stops
// at once naming the folder and the owner's pid; after kill -9 of the owner the next start takes the folder over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';

vi.setConfig({ testTimeout: 300_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'mnemo-lock-'));
const children: ChildProcess[] = [];

type Started = { child: ChildProcess; exited: Promise<{ code: number | null; ms: number }>; output: () => string };

function startServer(): Started {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    MNEMO_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: Date.now() - startedAt })),
  );
  return { child, exited, output: () => text };
}

async function untilListening(s: Started, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!s.output().includes('listening  http')) {
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('one server per embedded data folder', () => {
  it('refuses a second server at once, recovers the lock after kill -9, releases it on graceful close', async () => {
    const first = startServer();
    await untilListening(first);

    const second = startServer();
    const ended = await Promise.race([second.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(ended, second.output()).not.toBeNull();
    expect(ended!.code).not.toBe(0);
    // Refused before opening the database: the time is the process start (module loading, slow on a busy machine),
    // with no stale timeout to wait out.
    expect(ended!.ms).toBeLessThan(45_000);
    expect(second.output()).not.toContain('listening  http');
    expect(second.output()).toContain(`data folder ${realpathSync(dataDir)} is in use by process ${first.child.pid}`);
    expect(first.child.exitCode).toBeNull(); // the owner is untouched

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true); // left behind by kill -9

    const third = startServer();
    await untilListening(third);
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });
});
