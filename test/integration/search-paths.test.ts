// The two vector paths (exact scan of a small slice, HNSW for a large one), the bounded full-text pools and the
// one-statement passage insert, checked against the same small corpus on both databases.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { queryRows } from '../../src/db/client.js';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import { hybridSearch, type HybridSpec } from '../../src/memory/hybrid-search.js';
import { insertPassageRows, pgArray } from '../../src/memory/passage-insert.js';
import { passageFilters } from '../../src/memory/passage-search.js';
import { createTestDb } from '../support/test-db.js';

const DIM = 16;
let h: DbHandle;
const archiveId = newId('archive');
const otherArchive = newId('archive');

/** Deterministic, distinct unit vectors: passage i leans on axis i % DIM. */
function vec(i: number): number[] {
  const v = Array.from({ length: DIM }, (_, k) => (k === i % DIM ? 1 : 0) + 0.3 * Math.sin(i * 12.9898 + k * 78.233));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

beforeAll(async () => {
  h = await createTestDb();
  await h.db.execute(
    sql`insert into archives (id, organization_id, name) values (${archiveId}, ${DEFAULT_ORG_ID}, 'a'), (${otherArchive}, ${DEFAULT_ORG_ID}, 'b')`,
  );
  const rows = Array.from({ length: 240 }, (_, i) => ({
    id: newId('passage'),
    organizationId: DEFAULT_ORG_ID,
    archiveId: i % 4 === 0 ? otherArchive : archiveId,
    text: i % 30 === 0 ? `garden note ${i} about tomatoes and basil` : `garden note ${i}`,
    tags: i % 8 === 1 ? ['rare'] : ['common'],
    embedding: vec(i),
    embeddingDim: DIM,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 3600_000),
  }));
  await insertPassageRows(h.db, rows);
}, 60_000);
afterAll(async () => h?.close());

const spec = (over: Partial<HybridSpec>): HybridSpec => ({
  table: 'passages',
  scope: sql`t.organization_id = ${DEFAULT_ORG_ID} and t.archive_id = ${archiveId}`,
  filters: [],
  columns: sql.raw('t.id, t.text, t.tags'),
  text: '',
  vector: { values: vec(5), dim: DIM },
  limit: 10,
  mode: 'vector',
  ...over,
});

async function exactIds(filters: string, k: number): Promise<string[]> {
  const q = `[${vec(5).join(',')}]`;
  const rows = await queryRows<{ id: string }>(
    h.db,
    sql`select id from passages t where t.archive_id = ${archiveId}
    and ${sql.raw(filters)} order by (t.embedding::vector(${sql.raw(String(DIM))}) <=> ${q}::vector(${sql.raw(String(DIM))})) limit ${k}`,
  );
  return rows.map((r) => r.id);
}

describe('vector paths', () => {
  it('the exact path returns the true nearest rows of the slice', async () => {
    const rows = await hybridSearch(h.db, spec({}));
    expect(rows.map((r) => r.id)).toEqual(await exactIds('true', 10));
  });

  it('the HNSW path keeps tag filters inside the query and still fills top_k', async () => {
    const filters = passageFilters({ tags: ['rare'] });
    const rows = await hybridSearch(h.db, spec({ filters, exactBelow: 0, limit: 15 }));
    const rare = await queryRows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from passages where archive_id = ${archiveId} and 'rare' = any(tags)`,
    );
    expect(rows).toHaveLength(Math.min(15, rare[0]!.n));
    expect(rows.every((r) => (r.tags as string[]).includes('rare'))).toBe(true);
    // A small filtered slice goes exact by itself: the order is the true order.
    const auto = await hybridSearch(h.db, spec({ filters, limit: 15 }));
    expect(auto.map((r) => r.id)).toEqual(await exactIds(`'rare' = any(t.tags)`, 15));
  });
});

describe('full-text pools', () => {
  it('ranks passages containing all the words first and fills top_k from passages containing any', async () => {
    const rows = await hybridSearch(h.db, spec({ mode: 'fts', text: 'tomatoes basil', limit: 12 }));
    expect(rows).toHaveLength(4);
    const rows2 = await hybridSearch(h.db, spec({ mode: 'fts', text: 'basil garden', limit: 12 }));
    expect(rows2).toHaveLength(12);
    expect(rows2.slice(0, 4).every((r) => String(r.text).includes('basil'))).toBe(true);
  });
});

describe('batched insert', () => {
  it('stores awkward text, tags and metadata exactly and returns rows in input order', async () => {
    const texts = ['quote " and backslash \\ and {braces}, commas', 'NULL', '', 'üñí ✓ 𝄞'];
    const rows = texts.map((text, i) => ({
      id: newId('passage'),
      organizationId: DEFAULT_ORG_ID,
      archiveId: otherArchive,
      text,
      tags: ['a,b', 'NULL', 'x"y', `t${i}`],
      metadata: { i, s: 'v"\\' },
      embedding: i % 2 ? null : vec(i),
      embeddingDim: i % 2 ? null : DIM,
    }));
    const out = await insertPassageRows(h.db, rows);
    expect(out.map((r) => [r.id, r.text, r.tags, r.metadata])).toEqual(rows.map((r) => [r.id, r.text, r.tags, r.metadata]));
    const back = await queryRows<{ id: string; dim: number | null }>(
      h.db,
      sql`select id, vector_dims(embedding) as dim from passages where id in (${sql.join(
        rows.map((r) => sql`${r.id}`),
        sql`, `,
      )}) order by text`,
    );
    expect(back.filter((r) => r.dim === DIM)).toHaveLength(2);
    expect(pgArray(['a"b', null, 'c\\d', 3])).toBe('{"a\\"b",NULL,"c\\\\d",3}');
  });

  it('writes more rows than one statement holds in one transaction, in order', async () => {
    const rows = Array.from({ length: 2100 }, (_, i) => ({
      id: newId('passage'),
      organizationId: DEFAULT_ORG_ID,
      archiveId: otherArchive,
      text: `bulk ${i}`,
      embedding: vec(i),
      embeddingDim: DIM,
    }));
    const out = await insertPassageRows(h.db, rows);
    expect(out.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const n = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from passages where text like 'bulk %'`);
    expect(n[0]!.n).toBe(2100);
  });
});
