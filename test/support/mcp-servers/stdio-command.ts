// How to launch the stdio test server. Bundled once per process with esbuild: a plain `node bundle.mjs`
// starts in ~0.2 s, while `node --import tsx` needs ~1 s per spawn (tsx plus loading the SDK from source).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));
let bundled: Promise<string> | undefined;

export type StdioCommand = { command: string; args: string[] };

export async function stdioServerCommand(): Promise<StdioCommand> {
  bundled ??= bundle();
  return { command: process.execPath, args: [await bundled] };
}

/** The slow but dependency-free way, for debugging the server source directly. */
export function stdioServerCommandViaTsx(): StdioCommand {
  return { command: process.execPath, args: ['--import', 'tsx', entry] };
}

async function bundle(): Promise<string> {
  const outfile = join(tmpdir(), `mnemo-mcp-stdio-${process.pid}-${randomUUID()}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  process.once('exit', () => rmSync(outfile, { force: true }));
  return outfile;
}
