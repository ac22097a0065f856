// The embedded data folder is owner-only: the folder 0700 and everything in it 0700 (folders) / 0600 (files).
// PGlite unpacks its initial cluster as 0666 files, so a fresh or older folder is fixed once, after opening.
import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Present once the whole folder has been made owner-only; later files are created 0600 by Postgres itself. */
export const OWNER_ONLY_MARKER = '.mnemo-owner-only';

/** Creates the folder if needed and makes it 0700 whatever the umask (chmod, not mkdir's mode, decides). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Walks the folder once (no marker yet): folders 0700, files 0600; symlinks are left alone, never followed. */
export function makeOwnerOnly(dir: string): void {
  const marker = join(dir, OWNER_ONLY_MARKER);
  if (existsSync(marker)) return;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    chmodSync(current, 0o700);
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && (lstatSync(path).mode & 0o777) !== 0o600) chmodSync(path, 0o600);
    }
  }
  writeFileSync(marker, 'every file in this folder is owner-only\n', { mode: 0o600 });
}
