// The real server for a benchmark script: the HTTP app on a free 127.0.0.1 port, on an in-memory PGlite (or the
// given DbHandle), with OpenAI routed to the scripted LLM test server.
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { openDb, type DbHandle } from '../src/db/client.js';
import type { App } from '../src/http/app-type.js';
import { startScriptedLlm, type ScriptedLlm } from '../test/support/scripted-llm.js';

export type BenchApp = { app: App; ctx: AppContext; llm: ScriptedLlm; url: string; close(): Promise<void> };

export async function startBenchApp(env: Record<string, string> = {}, dbh?: DbHandle): Promise<BenchApp> {
  const llm = await startScriptedLlm();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    MNEMO_DATA_DIR: '/nonexistent',
    OPENAI_API_KEY: 'k',
    OPENAI_BASE_URL: llm.openaiBaseUrl,
    ...env,
  });
  const ctx = await createContext(config, { dbh: dbh ?? (await openDb({})), log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
  return {
    app,
    ctx,
    llm,
    url,
    async close() {
      await app.close();
      await ctx.close();
      await llm.close();
    },
  };
}
