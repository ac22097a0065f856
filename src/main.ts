// Entry point: config → context (migrate) → HTTP server → listen; SIGTERM/SIGINT → graceful close.
import { loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { bannerFacts, logStartupBanner } from './startup-banner.js';
import { explainStartupError, preflight } from './startup/preflight.js';
import { phaseText, startStartupClock } from './startup/startup-clock.js';
import { logConfigWarnings } from './startup/startup-log.js';

let config: Config | undefined;

async function main(): Promise<void> {
  const clock = startStartupClock();
  config = loadConfig();
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  logConfigWarnings(log, config);
  await preflight(config);
  clock.mark('preflight');
  // Loaded after the configuration is known good, so a bad setting is reported at once.
  const [{ createContext }, { buildApp }, { logStoredProviderWarning }] = await Promise.all([
    import('./context.js'),
    import('./app.js'),
    import('./startup/stored-providers.js'),
  ]);
  clock.mark('modules');
  const ctx = await createContext(config, { log, clock });
  await logStoredProviderWarning(ctx.log, ctx.dbh.db, config.secretKey);
  const app = await buildApp(ctx);
  clock.mark('http');
  const address = await app.listen({ port: config.port, host: config.host });
  clock.mark('listen');
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
  ctx.log.info({ ms: clock.totalMs(), phases: clock.phases() }, `started in ${clock.totalMs()} ms (${phaseText(clock.phases())})`);
  // After listening: the banner asks each provider for its models, which must not hold up requests or signals.
  logStartupBanner(ctx.log, await bannerFacts(ctx, address));
}

main().catch((err: unknown) => {
  // A failure the operator can fix is one line naming the setting, without a stack trace.
  const known = explainStartupError(err, config);
  console.error(known ? `mnemo: ${known.message}` : err);
  process.exit(known?.exitCode ?? 1);
});
