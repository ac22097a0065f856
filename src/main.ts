// Entry point: config → context (migrate) → HTTP server → listen; SIGTERM/SIGINT → graceful close.
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { bannerFacts, logStartupBanner } from './startup-banner.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Loaded after the configuration is known good, so a bad setting is reported at once.
  const [{ createContext }, { buildApp }] = await Promise.all([import('./context.js'), import('./app.js')]);
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  if (config.allowInsecure && !config.apiKey) {
    ctx.log.warn(
      { host: config.host },
      'MNEMO_ALLOW_INSECURE is set and MNEMO_API_KEY is not: anyone who can reach this server can drive it, whatever Host they name',
    );
  }
  const address = await app.listen({ port: config.port, host: config.host });
  logStartupBanner(ctx.log, await bannerFacts(ctx, address));
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof DataDirInUseError) {
    console.error(`mnemo: ${err.message}`);
    process.exit(3);
  }
  console.error(err);
  process.exit(1);
});
