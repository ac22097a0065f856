// The block logged once the server listens: version, database, providers (and whether they answer), default models,
// and where to find the API, its docs and the console. Secrets never appear: URLs lose their user and password.
import type { Logger } from 'pino';
import type { AppContext } from './context.js';
import type { ProviderStatus } from './llm/registry.js';
import { VERSION } from './version.js';

export type BannerFacts = {
  version: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  providers: ProviderStatus[];
  defaultModel?: string;
  defaultEmbedding?: string;
  /** The address the server listens on, e.g. http://127.0.0.1:8283. */
  url: string;
};

/** `host[:port]/database` of a PostgreSQL URL, plus the socket directory when one is given as `?host=`. */
export function describePostgres(raw: string): string {
  try {
    const u = new URL(raw);
    const socket = u.searchParams.get('host');
    return `${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}${socket ? ` (socket ${socket})` : ''}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/** Origin and path of an endpoint, without credentials or query. */
function plainEndpoint(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return raw;
  }
}

function providerLine(p: ProviderStatus): string {
  const state = p.reachable ? `reachable, ${p.models ?? 0} models` : `NOT reachable (${p.error ?? 'no answer'}); its models are not listed`;
  return `${p.name} at ${plainEndpoint(p.endpoint)}: ${state}`;
}

/** The banner's lines (pure, for tests and the log). */
export function bannerLines(f: BannerFacts): string[] {
  const base = f.url.replace(/\/$/, '');
  const db = f.database.kind === 'pglite' ? `embedded PGlite in ${f.database.dataDir}` : `PostgreSQL ${describePostgres(f.database.url)}`;
  const providers = f.providers.length
    ? f.providers.map(providerLine)
    : ['none configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or OLLAMA_BASE_URL (agents cannot answer until one is)'];
  return [
    `Mnemo ${f.version}`,
    `  database   ${db}`,
    ...providers.map((line, i) => `  ${i === 0 ? 'providers ' : '          '} ${line}`),
    `  default    model ${f.defaultModel ?? '(none: requests must name one)'}, embedding ${f.defaultEmbedding ?? '(none)'}`,
    `  listening  ${base}`,
    `  API docs   ${base}/docs`,
    `  console    ${base}/`,
  ];
}

/** Logs the banner as one record: warn when no provider is configured or one does not answer, else info. */
export function logStartupBanner(log: Pick<Logger, 'info' | 'warn'>, f: BannerFacts): void {
  const healthy = f.providers.length > 0 && f.providers.every((p) => p.reachable);
  const record = {
    version: f.version,
    database: f.database.kind === 'pglite' ? f.database : { kind: 'postgres', at: describePostgres(f.database.url) },
    providers: f.providers.map((p) => ({ ...p, endpoint: plainEndpoint(p.endpoint) })),
    defaultModel: f.defaultModel,
    defaultEmbedding: f.defaultEmbedding,
    url: f.url,
  };
  const text = bannerLines(f).join('\n');
  if (healthy) log.info(record, text);
  else log.warn(record, text);
}

/** The facts of a running context (asks every configured provider for its model list, within the probe timeout). */
export async function bannerFacts(ctx: Pick<AppContext, 'config' | 'dbh' | 'providerStatus'>, url: string): Promise<BannerFacts> {
  const c = ctx.config;
  return {
    version: VERSION,
    database: ctx.dbh.kind === 'pglite' ? { kind: 'pglite', dataDir: c.dataDir } : { kind: 'postgres', url: c.databaseUrl ?? '' },
    providers: await ctx.providerStatus(),
    defaultModel: c.defaultModel,
    defaultEmbedding: c.defaultEmbedding,
    url,
  };
}
