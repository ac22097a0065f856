// Autovacuum's work on a database nothing else vacuums (PGlite has none): the changed tables are vacuumed and analyzed
// once past autovacuum's thresholds, and a large archive's search then walks its HNSW index.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeChangedTables } from '../../src/db/auto-analyze.js';
import { queryRows, type DbHandle } from '../../src/db/client.js';
import { indexName } from '../../src/db/vector-index.js';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import { buildHybridStatement } from '../../src/memory/hybrid-search.js';
import { insertPassageRows } from '../../src/memory/passage-insert.js';
import { createTestDb } from '../support/test-db.js';

const DIM = 16;
const ROWS = 4000;
let h: DbHandle;
const archiveId = newId('archive');

const vec = (i: number) => Array.from({ length: DIM }, (_, k) => Math.sin(i * 12.9898 + k * 78.233));

beforeAll(async () => {
  h = await createTestDb();
  await analyzeChangedTables(h.db); // whatever the snapshot left unanalyzed
  await h.db.execute(sql`insert into archives (id, organization_id, name) values (${archiveId}, ${DEFAULT_ORG_ID}, 'big')`);
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: newId('passage'),
    organizationId: DEFAULT_ORG_ID,
    archiveId,
    text: `note ${i}`,
    embedding: vec(i),
    embeddingDim: DIM,
  }));
  await insertPassageRows(h.db, rows);
}, 120_000);
afterAll(async () => h?.close());

/** The plan of the archive's vector search on its index path. */
async function searchPlan(): Promise<string> {
  const built = buildHybridStatement(
    {
      table: 'passages',
      scope: sql`t.organization_id = ${DEFAULT_ORG_ID} and t.archive_id = ${archiveId}`,
      filters: [],
      columns: sql.raw('t.id'),
      text: '',
      vector: { values: vec(7), dim: DIM },
      limit: 10,
      mode: 'vector',
      exactBelow: 0,
    },
    'ann',
  );
  const rows = await queryRows<{ 'QUERY PLAN': string }>(h.db, sql`explain ${built!.statement}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const reltuples = async () =>
  (await queryRows<{ n: number }>(h.db, sql`select reltuples::int as n from pg_class where relname = 'passages'`))[0]!.n;

describe('analyzing changed tables', () => {
  it('vacuums and analyzes a table that grew past the thresholds, once, and a large archive search then uses its HNSW index', async () => {
    await analyzeChangedTables(h.db);
    expect(await reltuples()).toBe(ROWS);
    expect(await searchPlan()).toContain(indexName('passages', DIM));
    const [stat] = await queryRows<{ vacuumed: boolean }>(
      h.db,
      sql`select coalesce(last_vacuum, last_autovacuum) is not null as vacuumed from pg_stat_user_tables where relname = 'passages'`,
    );
    expect(stat?.vacuumed).toBe(true);
    expect(await analyzeChangedTables(h.db)).not.toContain('public.passages');
  });

  it('leaves a table alone while its changes stay under the threshold', async () => {
    await h.db.execute(sql`update passages set text = text || '.' where id in (select id from passages limit 10)`);
    expect(await analyzeChangedTables(h.db)).not.toContain('public.passages');
  });
});
