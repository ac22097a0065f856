// Builds the real app on a fresh test database; optionally listens on a free port for SDK tests.
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { App } from '../../src/http/app-type.js';
import { createTestDb } from './test-db.js';

export type TestApp = { app: App; ctx: AppContext; url: string; close(): Promise<void> };

export async function createTestApp(env: Record<string, string> = {}, opts: { listen?: boolean } = {}): Promise<TestApp> {
  const dbh = await createTestDb();
  const config = loadConfig({ LOG_LEVEL: 'silent', MNEMO_DATA_DIR: '/nonexistent', ...env });
  const ctx = await createContext(config, { dbh, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const app = await buildApp(ctx);
  let url = '';
  if (opts.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
  } else {
    await app.ready();
  }
  return {
    app,
    ctx,
    url,
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
