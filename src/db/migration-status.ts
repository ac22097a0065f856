// Which committed migrations a database has not applied yet, for the progress lines at start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from './client.js';

type JournalEntry = { tag: string; when: number };

function journalEntries(migrationsFolder: string): JournalEntry[] {
  const journal: { entries?: JournalEntry[] } = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
  return journal.entries ?? [];
}

/** Tags newer than the last applied one (drizzle's own rule); all of them on an empty database. */
export async function pendingMigrations(db: Db, migrationsFolder: string): Promise<string[]> {
  let last = 0;
  try {
    const rows = await queryRows<{ last: string | number | null }>(
      db,
      sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
    );
    last = Number(rows[0]?.last ?? 0);
  } catch {
    last = 0; // no migrations table yet
  }
  return journalEntries(migrationsFolder)
    .filter((e) => e.when > last)
    .map((e) => e.tag);
}
