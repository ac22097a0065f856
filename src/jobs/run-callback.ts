// Job: POST a finished async run's result to its callback_url and record what happened on the run.
import type { Db } from '../db/client.js';
import { findRunById, type RunLike } from './run-lookup.js';
import { updateRun } from '../resources/runs/runs.repo.js';

export const CALLBACK_QUEUE = 'run-callback';

export function callbackBody(run: RunLike) {
  return {
    run_id: run.id,
    status: run.status,
    completed_at: run.completedAt ? run.completedAt.toISOString() : null,
    metadata: run.metadata ?? null,
    stop_reason: run.stopReason ?? null,
  };
}

/** Throws on network errors and 5xx so the queue retries with backoff; 4xx is recorded and final. */
export function createCallbackHandler(deps: { db: Db; timeoutMs?: number; fetch?: typeof fetch }) {
  const doFetch = deps.fetch ?? fetch;
  return async (payload: Record<string, unknown>) => {
    const run = await findRunById(deps.db, String(payload.runId));
    if (!run?.callbackUrl) return;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(run.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(callbackBody(run)),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      status = res.status;
      if (!res.ok) error = `callback answered HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    await updateRun(deps.db, run.id, { callbackSentAt: new Date(), callbackStatusCode: status, callbackError: error });
    if (status === null || status >= 500) throw new Error(error ?? 'callback failed');
  };
}
