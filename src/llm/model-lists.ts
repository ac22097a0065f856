// Cache of providers' model lists: a fresh answer is reused, a stale one is served while one background probe
// refreshes it, and only a provider never asked before makes the caller wait (at most the probe timeout).
import type { Logger } from 'pino';
import { probeModelList, type ModelListSource } from './model-list-probe.js';
import type { ModelInfo } from './types.js';

export type ModelListState = { ok: true; models: ModelInfo[]; at: number } | { ok: false; error: string; at: number };

export type ModelListsOptions = {
  /** Per probe (default 3 s). */
  timeoutMs?: number;
  /** How long a successful list is fresh (default 5 min). */
  ttlMs?: number;
  /** How long a failure is remembered before the next probe (default 30 s). */
  failureTtlMs?: number;
  /** Most providers kept (BYOK providers of every organization count). */
  maxEntries?: number;
  now?: () => number;
  log?: Pick<Logger, 'warn' | 'info'>;
};

export type ModelLists = ReturnType<typeof createModelLists>;

export function createModelLists(o: ModelListsOptions = {}) {
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 3_000;
  const max = o.maxEntries ?? 500;
  const states = new Map<string, ModelListState>();
  const inFlight = new Map<string, Promise<ModelListState>>();

  function remember(key: string, name: string, next: ModelListState): void {
    const prev = states.get(key);
    if (!next.ok && (!prev || prev.ok)) o.log?.warn({ provider: name, error: next.error }, 'provider model list unavailable');
    if (next.ok && prev && !prev.ok) o.log?.info({ provider: name, models: next.models.length }, 'provider reachable again');
    states.delete(key);
    if (states.size >= max) states.delete(states.keys().next().value!);
    states.set(key, next);
  }

  function probe(src: ModelListSource): Promise<ModelListState> {
    const running = inFlight.get(src.key);
    if (running) return running;
    const p = probeModelList(src, timeoutMs)
      .then((models): ModelListState => ({ ok: true, models, at: now() }))
      .catch((err: unknown): ModelListState => ({ ok: false, error: describe(err, timeoutMs), at: now() }))
      .then((state) => {
        remember(src.key, src.name, state);
        inFlight.delete(src.key);
        return state;
      });
    inFlight.set(src.key, p);
    return p;
  }

  /** The provider's list as last known; probes when unknown, refreshes in the background when stale. */
  async function get(src: ModelListSource): Promise<ModelListState> {
    const known = states.get(src.key);
    if (!known) return probe(src);
    const ttl = known.ok ? (o.ttlMs ?? 300_000) : (o.failureTtlMs ?? 30_000);
    if (now() - known.at >= ttl) void probe(src);
    return known;
  }

  return { get, peek: (key: string) => states.get(key), size: () => states.size, max };
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`.slice(0, 300);
}

/** Whether `model` is on the list; Ollama's `name` also matches `name:latest`. */
export function listOffers(models: ModelInfo[], model: string): boolean {
  return models.some((m) => m.id === model || m.id === `${model}:latest`);
}
