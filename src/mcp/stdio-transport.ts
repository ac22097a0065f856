// MCP over a child's stdin/stdout, started the careful way: a minimal environment (never this server's keys), a
// fresh HOME, and, when this server runs as root, another user. The SDK's StdioClientTransport can do none of the
// last two and always adds parts of our own environment, hence this small transport.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export type StdioUser = { uid: number; gid: number };

export type StdioLaunch = {
  command: string;
  args: string[];
  /** What the caller configured for this server. */
  env?: Record<string, string>;
  /** PATH and LANG to give the child (from the operator's config); nothing else of ours is passed. */
  baseEnv?: Record<string, string>;
  /** Applied only when this process runs as root (default NOBODY). */
  runAs?: StdioUser;
};

export type StdioTransport = Transport & { stderr: PassThrough; pid(): number | undefined };

const CLOSE_GRACE_MS = 2000;
/** `nobody`: the user a stdio server runs as when we are root and the operator named no other. */
const NOBODY: StdioUser = { uid: 65534, gid: 65534 };

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The exact environment a stdio MCP server gets. */
function childEnv(launch: StdioLaunch, home: string): Record<string, string> {
  const base: Record<string, string> = {};
  for (const key of ['PATH', 'LANG']) if (launch.baseEnv?.[key]) base[key] = launch.baseEnv[key];
  return { ...base, HOME: home, ...launch.env };
}

export function createStdioTransport(launch: StdioLaunch): StdioTransport {
  const stderr = new PassThrough();
  const readBuffer = new ReadBuffer();
  let child: ChildProcess | undefined;
  let home: string | undefined;

  const transport: StdioTransport = {
    stderr,
    pid: () => child?.pid,
    async start() {
      if (child) throw new Error('stdio transport already started');
      const user = isRoot() ? (launch.runAs ?? NOBODY) : undefined;
      home = mkdtempSync(join(tmpdir(), 'mnemo-mcp-home-'));
      if (user) chownSync(home, user.uid, user.gid);
      const proc = spawn(launch.command, launch.args, {
        env: childEnv(launch, home),
        cwd: home,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      });
      child = proc;
      await new Promise<void>((resolve, reject) => {
        proc.once('error', (err) => {
          reject(err);
          transport.onerror?.(err);
        });
        proc.once('spawn', () => resolve());
      });
      proc.once('close', () => {
        child = undefined;
        removeHome();
        transport.onclose?.();
      });
      proc.stdin?.on('error', (err) => transport.onerror?.(err));
      proc.stdout?.on('error', (err) => transport.onerror?.(err));
      proc.stdout?.on('data', (chunk: Buffer) => {
        try {
          readBuffer.append(chunk);
        } catch (err) {
          transport.onerror?.(err as Error);
          void transport.close();
          return;
        }
        drain();
      });
      proc.stderr?.pipe(stderr);
    },
    async send(message: JSONRPCMessage) {
      const stdin = child?.stdin;
      if (!stdin) throw new Error('Not connected');
      if (!stdin.write(serializeMessage(message))) await new Promise((r) => stdin.once('drain', r));
    },
    async close() {
      const proc = child;
      child = undefined;
      if (proc) await stop(proc);
      readBuffer.clear();
      removeHome();
    },
  };

  function drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = readBuffer.readMessage();
      } catch (err) {
        transport.onerror?.(err as Error);
        continue;
      }
      if (message === null) return;
      transport.onmessage?.(message);
    }
  }

  function removeHome(): void {
    if (home) rmSync(home, { recursive: true, force: true });
    home = undefined;
  }

  return transport;
}

/** End stdin, then SIGTERM, then SIGKILL, each after a grace period. */
async function stop(proc: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('close', () => r())));
  const grace = () => new Promise<void>((r) => setTimeout(r, CLOSE_GRACE_MS).unref());
  proc.stdin?.end();
  await Promise.race([exited, grace()]);
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGTERM');
    await Promise.race([exited, grace()]);
  }
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}
