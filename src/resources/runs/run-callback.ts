// Job: POST a finished async run's result to its callback_url and record what happened on the run.
import type { Db } from '../../db/client.js';
import { createGuardedFetch } from '../../net/guarded-fetch.js';
import { createOutboundPolicy } from '../../net/outbound-policy.js';
import { findRunById, type RunLike } from './run-lookup.js';
import { updateRun } from './runs.repo.js';

export const CALLBACK_QUEUE = 'run-callback';

/**
 * All a caller learns of a failed delivery. Refused by the outbound policy, connection refused, timeout and a non-2xx
 * answer look the same (no status code, no error text, recorded after the same delay), so the callback cannot be used
 * to scan ports or hosts. The server log keeps the real reason.
 */
export const CALLBACK_FAILED = 'callback failed';

type CallbackLog = { warn(obj: object, msg?: string): void };

function callbackBody(run: RunLike) {
  return {
    run_id: run.id,
    status: run.status,
    completed_at: run.completedAt ? run.completedAt.toISOString() : null,
    metadata: run.metadata ?? null,
    stop_reason: run.stopReason ?? null,
  };
}

export type CallbackDeps = { db: Db; timeoutMs?: number; fetch?: typeof fetch; log?: CallbackLog };

/** Every failure throws, so the queue retries them all alike with its backoff. */
export function createCallbackHandler(deps: CallbackDeps) {
  const doFetch = deps.fetch ?? createGuardedFetch(createOutboundPolicy());
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return async (payload: Record<string, unknown>) => {
    const run = await findRunById(deps.db, String(payload.runId));
    if (!run?.callbackUrl) return;
    const startedAt = new Date();
    const outcome = await deliver(doFetch, run.callbackUrl, callbackBody(run), timeoutMs);
    if ('status' in outcome) {
      await updateRun(deps.db, run.id, { callbackSentAt: startedAt, callbackStatusCode: outcome.status, callbackError: null });
      return;
    }
    deps.log?.warn({ runId: run.id, callbackUrl: run.callbackUrl, reason: outcome.failure }, 'callback delivery failed');
    // A refused or closed port fails at once, a silent host only at the timeout: wait out the rest of it.
    await sleep(timeoutMs - (Date.now() - startedAt.getTime()));
    await updateRun(deps.db, run.id, { callbackSentAt: startedAt, callbackStatusCode: null, callbackError: CALLBACK_FAILED });
    throw new Error(CALLBACK_FAILED);
  };
}

/** The 2xx status of a delivered callback, or why it failed (for the log only). */
async function deliver(
  doFetch: typeof fetch,
  url: string,
  body: object,
  timeoutMs: number,
): Promise<{ status: number } | { failure: string }> {
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok ? { status: res.status } : { failure: `HTTP ${res.status}` };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return { failure: `${e instanceof Error ? e.message : String(e)}${cause}` };
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
