// readAll: independent reads at once on the pool, one at a time on a transaction's single connection.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { readAll, readEach } from '../../src/db/reads.js';
import { loadRelations } from '../../src/resources/agents/agent-relations.js';
import { createTestDb } from '../support/test-db.js';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h.close());

/** A read that logs when it starts and ends, so the test can see whether two reads overlapped. */
function tracked(log: string[], name: string, value: number) {
  return async () => {
    log.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, 5));
    log.push(`end ${name}`);
    return value;
  };
}

describe('readAll', () => {
  it('starts every read at once outside a transaction', async () => {
    const log: string[] = [];
    const out = await readAll(h.db, [tracked(log, 'a', 1), tracked(log, 'b', 2)]);
    expect(out).toEqual([1, 2]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });

  it('runs the reads one after another inside a transaction, results in order', async () => {
    const log: string[] = [];
    const out = await h.db.transaction(async (tx) => readAll(tx, [tracked(log, 'a', 1), tracked(log, 'b', 2), tracked(log, 'c', 3)]));
    expect(out).toEqual([1, 2, 3]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    const each = await h.db.transaction(async (tx) => readEach(tx, [3, 1, 2], async (n) => n * 10));
    expect(each).toEqual([30, 10, 20]);
  });

  it('loadRelations in a transaction never queues a query behind another on the connection', async () => {
    // node-postgres warns (and will refuse from pg 9 on) when a query is sent while another waits on the same client.
    const orig = pg.Client.prototype.query;
    let queued = 0;
    pg.Client.prototype.query = function (this: pg.Client & { _queryQueue?: unknown[] }, ...a: unknown[]) {
      if ((this._queryQueue?.length ?? 0) > 0) queued++;
      return (orig as (...x: unknown[]) => unknown).apply(this, a);
    } as typeof orig;
    try {
      const rows = await h.db.transaction(async (tx) => {
        const ids = ((await tx.execute(sql`select id from agents limit 3`)) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
        return loadRelations(tx, [...ids, 'agent-00000000-0000-4000-8000-000000000000']);
      });
      expect(rows.size).toBeGreaterThan(0);
    } finally {
      pg.Client.prototype.query = orig;
    }
    expect(queued).toBe(0);
  });
});
