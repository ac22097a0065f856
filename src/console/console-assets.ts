// The web console's files, read once at start from src/console/public: a fixed map of name → bytes, so a request can
// only ever name a file that is in it (no path handling at request time, no traversal).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ConsoleAsset = Readonly<{ body: Buffer; type: string; etag: string }>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export const CONSOLE_DIR = fileURLToPath(new URL('./public/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every file with a known type under `dir`, keyed by its path relative to it with forward slashes ('views/chat.js'). */
export function loadConsoleAssets(dir = CONSOLE_DIR): ReadonlyMap<string, ConsoleAsset> {
  const out = new Map<string, ConsoleAsset>();
  for (const file of walk(dir)) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    out.set(relative(dir, file).split(sep).join('/'), Object.freeze({ body, type, etag }));
  }
  return out;
}
