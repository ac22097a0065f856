// A logger whose JSON lines land in an array, and an app on a fresh test database that logs into it.
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import type { TestApp } from '../support/test-app.js';
import { createTestDb } from '../support/test-db.js';

export type LogLine = { level: number; msg: string; [field: string]: unknown };
export type Capture = { log: ReturnType<typeof createLogger>; lines: LogLine[]; text(): string };

export function captureLog(level = 'debug'): Capture {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level, format: 'json' }, stream);
  return {
    log,
    get lines() {
      return raw.flatMap((r) => r.split('\n').filter(Boolean)).map((l): LogLine => JSON.parse(l));
    },
    text: () => raw.join(''),
  };
}

export async function loggedApp(env: Record<string, string>, capture: Capture): Promise<TestApp> {
  const dbh = await createTestDb();
  const config = loadConfig({ MNEMO_DATA_DIR: '/nonexistent', ...env });
  const ctx = await createContext(config, { dbh, log: capture.log });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    url: '',
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
