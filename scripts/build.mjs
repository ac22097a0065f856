// Compiles src/ into dist/ with esbuild, one output file per source file: the layout stays, so the paths the server
// finds relative to its own files (../../drizzle, ../package.json, sandbox/*.py) hold from dist/ as from src/.
// Files other than TypeScript (the Python sandbox scripts) are copied. Tests are left out; they run from source.
// It also makes dist/db/initial-data.tar.gz: a database with every migration applied, which a first start on an empty
// embedded data folder unpacks instead of running initdb and the migrations (src/db/initial-data.ts).
// `node scripts/build.mjs` always builds; `--if-stale` builds only when dist/ is missing or older than a source file.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleServer } from './bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const SELF = fileURLToPath(import.meta.url);
const BUNDLER = fileURLToPath(new URL('./bundle.mjs', import.meta.url));
const MIGRATIONS = join(ROOT, 'drizzle');

/** Every file under dir, except tests and their snapshots. */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__snapshots__') out.push(...sourceFiles(path));
    } else if (!/\.test\.ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** True when dist/ is missing or a source file (or this script) changed after the last build. */
export function isStale() {
  if (!existsSync(SRC)) return false; // an installed copy without sources: dist/ is all there is
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const migrations = existsSync(MIGRATIONS) ? sourceFiles(MIGRATIONS) : [];
  return [SELF, BUNDLER, ...sourceFiles(SRC), ...migrations].some((f) => statSync(f).mtimeMs > built);
}

export async function build() {
  const started = Date.now();
  const files = sourceFiles(SRC);
  const { build: esbuild } = await import('esbuild');
  const kept = keptDatabase();
  rmSync(DIST, { recursive: true, force: true });
  await esbuild({
    entryPoints: files.filter((f) => f.endsWith('.ts')),
    outdir: DIST,
    outbase: SRC,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  await bundleServer(esbuild, SRC, DIST);
  for (const f of files.filter((f) => !f.endsWith('.ts'))) {
    const to = join(DIST, relative(SRC, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  const migrated = Date.now();
  if (kept) for (const [name, bytes] of kept) writeFileSync(join(DIST, 'db', name), bytes);
  else await writeMigratedDatabase();
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  console.error(
    `mnemo: compiled ${files.length} files into dist/ in ${migrated - started} ms, pre-initialised database in ${Date.now() - migrated} ms`,
  );
}

const DATABASE_FILES = ['initial-data.tar.gz', 'initial-data.json', 'initial-data.key'];

/** What the pre-initialised database depends on: the migrations and the embedded PostgreSQL's version. */
function databaseKey() {
  const hash = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'])
    hash.update(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json')));
  for (const f of sourceFiles(MIGRATIONS).sort()) hash.update(f).update(readFileSync(f));
  return hash.digest('hex');
}

/** The previous build's database files when they were made from the same migrations and PGlite; else undefined. */
function keptDatabase() {
  const files = DATABASE_FILES.map((name) => [name, join(DIST, 'db', name)]);
  if (!files.every(([, path]) => existsSync(path))) return undefined;
  if (readFileSync(join(DIST, 'db/initial-data.key'), 'utf8') !== databaseKey()) return undefined;
  return files.map(([name, path]) => [name, readFileSync(path)]);
}

/** initdb and every migration on an in-memory database, dumped with the compiled code it ships with. */
async function writeMigratedDatabase() {
  const { openDb } = await import(pathToFileURL(join(DIST, 'db/client.js')).href);
  const { runMigrations } = await import(pathToFileURL(join(DIST, 'db/migrate.js')).href);
  const { writeInitialData } = await import(pathToFileURL(join(DIST, 'db/initial-data.js')).href);
  const handle = await openDb({});
  try {
    await runMigrations(handle);
    await writeInitialData(await handle.pglite.dumpDataDir('gzip'));
    writeFileSync(join(DIST, 'db/initial-data.key'), databaseKey());
  } finally {
    await handle.close();
  }
}

if (process.argv[1] === SELF) {
  if (!process.argv.includes('--if-stale') || isStale()) await build();
}
