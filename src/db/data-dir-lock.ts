// One owner per embedded data folder: a pid file created exclusively; a lock whose process is gone (kill -9, crash,
// reboot) is taken over at once, a live owner makes the second process stop with a message naming it.
import { linkSync, readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'mnemo.lock';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    why: string,
  ) {
    super(`data folder ${dataDir} is in use by process ${ownerPid}${why}; stop it first (one server per MNEMO_DATA_DIR)`);
    this.name = 'DataDirInUseError';
  }
}

export type DataDirLock = { release(): void };

type Owner = { pid: number; start: string | null; host: string };

/** Data folders this process holds: a second open of one of them in the same process is refused too. */
const held = new Set<string>();

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = realpathSync(dataDir);
  const path = join(dir, LOCK_FILE);
  if (held.has(dir)) throw new DataDirInUseError(dir, process.pid, ' (this same process)');
  const mine: Owner = { pid: process.pid, start: startTimeOf(process.pid), host: hostname() };
  // Bounded: each round either takes the lock, meets a live owner, or removes one stale file.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, mine)) {
      held.add(dir);
      return { release: () => release(dir, path, mine) };
    }
    const raw = readOrNull(path);
    if (raw === null) continue; // removed meanwhile: try again
    const owner = parse(raw);
    if (owner && owner.host !== mine.host)
      throw new DataDirInUseError(dir, owner.pid, ` on host ${owner.host} (delete ${path} if that host is down)`);
    if (owner && isAlive(owner)) throw new DataDirInUseError(dir, owner.pid, '');
    removeIfUnchanged(path, raw);
  }
  throw new Error(`could not lock data folder ${dir}: its lock file ${path} keeps changing`);
}

/** Written to a private file first and linked into place, so the lock never exists half-written. */
function tryCreate(path: string, mine: Owner): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(mine), { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Moves the stale lock aside and deletes it only if it is still the file judged stale; a fresh lock another
 * process created in between is linked back (link fails rather than overwrite if yet another one appeared).
 */
function removeIfUnchanged(path: string, staleRaw: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (readOrNull(aside) !== staleRaw) {
    try {
      linkSync(aside, path);
    } catch {
      // someone holds a newer lock; theirs stands
    }
  }
  unlinkSync(aside);
}

function release(dir: string, path: string, mine: Owner): void {
  if (!held.delete(dir)) return;
  const current = readOrNull(path);
  if (current !== null && parse(current)?.pid === mine.pid) unlinkSync(path);
}

function isAlive(owner: Owner): boolean {
  // Our own pid in a lock we do not hold: an earlier process had the same pid (a restarted container).
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use; if it started at another time it is a different process that reused the number.
  const start = startTimeOf(owner.pid);
  return owner.start === null || start === null || start === owner.start;
}

/** Process start time in clock ticks since boot (Linux /proc); null elsewhere. */
function startTimeOf(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Field 22; the command name (field 2) may contain spaces, so count from its closing parenthesis.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function parse(raw: string): Owner | null {
  try {
    const o = JSON.parse(raw) as Partial<Owner>;
    return Number.isInteger(o.pid) ? { pid: o.pid!, start: o.start ?? null, host: o.host ?? hostname() } : null;
  } catch {
    return null;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
