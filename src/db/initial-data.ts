// A pre-initialised embedded database made by the build (initdb and every migration already run): a first start on
// an empty data folder unpacks it instead of running initdb and the migrations (seconds and most of a GB of memory).
// It is used only when the migrations it holds are the first ones of the current journal; later ones still run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the build puts the tarball and the list of the migrations in it (beside the compiled module). */
export type InitialData = { tarball: string; stamp: string };

const SHIPPED_INITIAL_DATA: InitialData = {
  tarball: fileURLToPath(new URL('./initial-data.tar.gz', import.meta.url)),
  stamp: fileURLToPath(new URL('./initial-data.json', import.meta.url)),
};
const JOURNAL = fileURLToPath(new URL('../../drizzle/meta/_journal.json', import.meta.url));

const Journal = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() })) });
const Stamp = z.object({ migrations: z.array(z.string()) });

/** The migrations of a journal, in order, each as `<when>_<tag>`. */
export function journalMigrations(journalPath: string = JOURNAL): string[] {
  return Journal.parse(JSON.parse(readFileSync(journalPath, 'utf8'))).entries.map((e) => `${e.when}_${e.tag}`);
}

/** True when every migration in the tarball is, in order, the start of the current journal. */
export function isJournalPrefix(shipped: readonly string[], current: readonly string[]): boolean {
  return shipped.length > 0 && shipped.length <= current.length && shipped.every((m, i) => m === current[i]);
}

/** The tarball to load into `dataDir`, or undefined: the folder holds a database, or no usable tarball shipped. */
export function initialDataFor(dataDir: string, from: InitialData = SHIPPED_INITIAL_DATA, journalPath?: string): Blob | undefined {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  if (!existsSync(from.tarball) || !existsSync(from.stamp)) return undefined;
  const stamp = Stamp.safeParse(JSON.parse(readFileSync(from.stamp, 'utf8')));
  if (!stamp.success || !isJournalPrefix(stamp.data.migrations, journalMigrations(journalPath))) return undefined;
  return new Blob([readFileSync(from.tarball)]);
}

/** Writes the tarball of a freshly migrated database and the list of its migrations (the build calls this). */
export async function writeInitialData(dump: Blob, to: InitialData = SHIPPED_INITIAL_DATA, journalPath?: string): Promise<void> {
  writeFileSync(to.tarball, Buffer.from(await dump.arrayBuffer()));
  writeFileSync(to.stamp, `${JSON.stringify({ migrations: journalMigrations(journalPath) })}\n`);
}
