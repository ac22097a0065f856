// The embedded data folder is owner-only whatever the umask: folder 0700, files 0600, an older folder fixed on open.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { OWNER_ONLY_MARKER } from '../../src/db/data-dir.js';

vi.setConfig({ testTimeout: 120_000 });

const root = mkdtempSync(join(tmpdir(), 'mnemo-perms-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every entry under dir whose mode is not owner-only (0700 folders, 0600 files). */
function notOwnerOnly(dir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const mode = statSync(p).mode & 0o777;
      if (e.isDirectory()) {
        if (mode !== 0o700) bad.push(`${p} ${mode.toString(8)}`);
        walk(p);
      } else if (e.isFile() && mode !== 0o600) bad.push(`${p} ${mode.toString(8)}`);
    }
  };
  walk(dir);
  return bad;
}

describe('embedded data folder permissions', () => {
  it('creates the folder 0700 with every file 0600, even under umask 000', async () => {
    const dir = join(root, 'fresh');
    const old = process.umask(0);
    try {
      const dbh = await openDb({ dataDir: dir });
      await dbh.exec('CREATE TABLE t (x int); INSERT INTO t SELECT generate_series(1, 1000)');
      await dbh.close();
    } finally {
      process.umask(old);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(notOwnerOnly(dir)).toEqual([]);
  });

  it('makes an existing world-readable folder owner-only when it is opened', async () => {
    const dir = join(root, 'fresh'); // reuse: turn it back into what older versions left behind
    chmodSync(dir, 0o755);
    for (const f of ['PG_VERSION', 'global/pg_control']) chmodSync(join(dir, f), 0o666);
    chmodSync(join(dir, 'base'), 0o755);
    unlinkSync(join(dir, OWNER_ONLY_MARKER));
    const dbh = await openDb({ dataDir: dir });
    await dbh.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(notOwnerOnly(dir)).toEqual([]);
  });
});
