// Warnings for risky or empty settings, logged once at start: each names the variable and what to change.
import { isLoopbackName } from '../http/loopback-host.js';
import type { Config } from '../config.js';

export type ConfigWarning = { setting: string; message: string };

const BUILTIN_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;

function configuredProviders(c: Config): string[] {
  const on = {
    openai: c.openai.apiKey ?? c.openai.baseUrl,
    anthropic: c.anthropic.apiKey ?? c.anthropic.baseUrl,
    ollama: c.ollama.baseUrl,
  };
  return BUILTIN_PROVIDERS.filter((p) => on[p] !== undefined);
}

/** True when a key would cross the network in clear text (http to a host other than this machine). */
function plainHttpRemote(baseUrl: string | undefined): boolean {
  if (!baseUrl || !URL.canParse(baseUrl)) return false;
  const u = new URL(baseUrl);
  return u.protocol === 'http:' && !isLoopbackName(u.hostname);
}

export function configWarnings(c: Config): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const add = (setting: string, message: string) => out.push({ setting, message });
  const providers = configuredProviders(c);
  if (providers.length === 0)
    add(
      'OPENAI_API_KEY',
      'no model provider is configured: agents cannot answer. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL, or OPENAI_BASE_URL for an OpenAI-compatible server',
    );
  if (c.allowInsecure && !c.apiKey)
    add(
      'MNEMO_ALLOW_INSECURE',
      `MNEMO_ALLOW_INSECURE is set and MNEMO_API_KEY is not: anyone who can reach ${c.host}:${c.port} can drive this server, whatever Host they name`,
    );
  if (c.apiKey && c.apiKey.length < 20)
    add('MNEMO_API_KEY', `MNEMO_API_KEY is short (${c.apiKey.length} characters): use a long random key, e.g. \`openssl rand -hex 32\``);
  if (c.allowMcpStdio)
    add(
      'MNEMO_ALLOW_MCP_STDIO',
      `MNEMO_ALLOW_MCP_STDIO is on: callers can make this server start commands (stdio MCP servers; as ${c.mcpStdioUser.uid}:${c.mcpStdioUser.gid} when running as root)`,
    );
  if (c.outboundAllow.length > 0)
    add(
      'MNEMO_OUTBOUND_ALLOW',
      `caller-given URLs (MCP servers, callbacks, fetch_webpage) may reach ${c.outboundAllow.join(', ')} (MNEMO_OUTBOUND_ALLOW)`,
    );
  if (c.openai.apiKey && plainHttpRemote(c.openai.baseUrl))
    add('OPENAI_BASE_URL', 'OPENAI_BASE_URL is plain http to another machine: OPENAI_API_KEY crosses the network unencrypted; use https');
  if (c.anthropic.apiKey && plainHttpRemote(c.anthropic.baseUrl))
    add(
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_BASE_URL is plain http to another machine: ANTHROPIC_API_KEY crosses the network unencrypted; use https',
    );
  for (const [setting, handle] of [
    ['MNEMO_DEFAULT_MODEL', c.defaultModel],
    ['MNEMO_DEFAULT_EMBEDDING', c.defaultEmbedding],
  ] as const) {
    const provider = handle?.split('/')[0] ?? '';
    if ((BUILTIN_PROVIDERS as readonly string[]).includes(provider) && !providers.includes(provider))
      add(
        setting,
        `${setting}=${handle} names provider '${provider}', which is not configured: agents created without a model get an error`,
      );
  }
  if (c.logLevel === 'debug' || c.logLevel === 'trace')
    add('LOG_LEVEL', `LOG_LEVEL=${c.logLevel} writes prompts and user text to the log; use info in production`);
  return out;
}

/** Stored organization provider keys cannot be read without the secret that sealed them. */
export function byokWarning(storedProviders: number, secretKey: string | undefined): ConfigWarning | undefined {
  if (storedProviders === 0 || secretKey) return undefined;
  return {
    setting: 'MNEMO_SECRET_KEY',
    message: `${storedProviders} organization provider(s) are stored but MNEMO_SECRET_KEY is not set: their keys cannot be read and their models fail. Set MNEMO_SECRET_KEY to the secret they were stored with`,
  };
}
