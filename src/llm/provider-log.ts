// Provider trouble in the operator's log: which provider and host (never the key), the status and a short message;
// a retry is a warning line of its own, so a flaky upstream is visible before it fails a turn.
import type { Logger } from 'pino';
import { LlmError } from './llm-error.js';

export type ProviderLog = Pick<Logger, 'warn'>;
export type ProviderWho = { provider: string; host: string; log?: ProviderLog };

/** The host (and port) of a provider's base URL, or the URL as given when it does not parse. */
export function hostOf(baseUrl: string): string {
  return URL.canParse(baseUrl) ? new URL(baseUrl).host : baseUrl;
}

function fields(who: ProviderWho, err: unknown) {
  const e = err instanceof LlmError ? err : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return { provider: who.provider, host: who.host, status: e?.status, kind: e?.kind, msg: message.slice(0, 200) };
}

export function logRetry(who: ProviderWho, err: LlmError, attempt: number, delayMs: number): void {
  who.log?.warn({ ...fields(who, err), attempt: attempt + 1, retryInMs: Math.round(delayMs) }, 'provider call failed, retrying');
}

/** The call's final failure; a caller's own cancel is not the provider's trouble. */
export function logFailure(who: ProviderWho, err: unknown, attempts: number): void {
  if (err instanceof LlmError && err.kind === 'cancelled') return;
  who.log?.warn({ ...fields(who, err), attempts }, 'provider call failed');
}
