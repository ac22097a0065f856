// How to launch the stdio test server. Bundled with esbuild: a plain `node bundle.mjs` starts in ~0.2 s,
// while `node --import tsx` needs ~1 s per spawn (tsx plus loading the SDK from source).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));
let bundled: Promise<string> | undefined;

export type StdioCommand = { command: string; args: string[] };

export async function stdioServerCommand(): Promise<StdioCommand> {
  bundled ??= bundle();
  return { command: process.execPath, args: [await bundled] };
}

/** The slow but build-free way, for debugging the server source directly. */
export function stdioServerCommandViaTsx(): StdioCommand {
  return { command: process.execPath, args: ['--import', 'tsx', entry] };
}

/**
 * The bundle is named after the sources' modification times, so test files and runs share one build
 * instead of leaving a 1 MB file per worker in the temp dir; the rename makes parallel builds safe.
 */
async function bundle(): Promise<string> {
  const dir = dirname(entry);
  const stamp = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`)
    .join('|');
  const key = createHash('sha256').update(`${entry}|${stamp}`).digest('hex').slice(0, 16);
  const outfile = join(tmpdir(), `mnemo-mcp-stdio-${key}.mjs`);
  if (existsSync(outfile)) return outfile;
  const partial = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  await build({ entryPoints: [entry], outfile: partial, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  renameSync(partial, outfile);
  return outfile;
}
