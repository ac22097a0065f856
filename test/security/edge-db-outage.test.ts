// A database outage answers 503 + Retry-After (the SDK retries), never 500, and the server recovers by itself.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE } from '../../src/http/errors.js';
import { createServer } from '../../src/http/server.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ offline: true });
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('database outage', () => {
  it('answers 503 with Retry-After when the database refuses connections (a real pg error through drizzle)', async () => {
    // Port 9 on loopback is closed: node-postgres fails with ECONNREFUSED, drizzle wraps it in "Failed query".
    const pool = new pg.Pool({ host: '127.0.0.1', port: 9, user: 'nobody', database: 'nothing', connectionTimeoutMillis: 5000 });
    pool.on('error', () => {});
    const app = await createServer({
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1000,
      version: 'test',
      corsOrigins: [],
      loopbackHostsOnly: true,
      auth: { lookup: async () => undefined, sameSecret: () => false },
      rateLimitPerMinute: 0,
    });
    app.get('/probe', async () => drizzle(pool).execute(sql`select 1`));
    try {
      const res = await app.inject({ url: '/probe' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({ detail: DATABASE_UNAVAILABLE });
    } finally {
      await app.close();
      await pool.end();
    }
  });

  if (onPostgres) {
    let admin: pg.Client | undefined;
    let dbName = '';
    afterAll(async () => {
      await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => {});
      await admin?.end();
    });

    it('answers 503 while its PostgreSQL database drops and refuses connections, then 200 again without a restart', async () => {
      const agent = await t.createAgent();
      const get = () => t.app.inject({ url: `/v1/agents/${agent.id}` });
      dbName = new URL((t.ctx.dbh as { url?: string }).url!).pathname.slice(1);
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const terminate = () =>
        admin!.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);

      // Connections killed under the pool: whatever a request meets, it is never a 500.
      await terminate();
      for (let i = 0; i < 5; i++) expect([200, 503]).toContain((await get()).statusCode);

      // The database is away (killed connections, no new ones): every request is a 503 with Retry-After.
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await terminate();
      for (let i = 0; i < 5; i++) {
        const res = await get();
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.json()).toEqual({ detail: DATABASE_UNAVAILABLE });
      }

      // Back again: the pool opens fresh connections on its own.
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await get()).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    });
  }
});
