// What the web tools (fetch_webpage, web_search) get through ToolContext.web: a bounded page fetch behind the
// outbound policy and the operator's search backend, if any.
import type { GuardedFetch } from '../../net/guarded-fetch.js';
import { fetchPage, type FetchedPage, type FetchPageLimits } from './fetch-page.js';
import { searchBackendFrom, type SearchBackend, type SearchConfig, type SearchHit, type SearchQuery } from './search-backends.js';

export type WebAccess = {
  fetchPage(url: string, signal?: AbortSignal): Promise<FetchedPage>;
  /** Undefined when no search backend is configured. */
  search: ((q: SearchQuery) => Promise<{ backend: string; hits: SearchHit[] }>) | undefined;
};

export type WebAccessDeps = {
  /** The guarded fetch (src/net/guarded-fetch.ts): every caller-given URL passes the outbound policy. */
  guardedFetch: GuardedFetch;
  search: SearchConfig;
  limits?: Partial<FetchPageLimits> & { searchTimeoutMs?: number };
  /** Fetch for the operator's search backend (tests may pass another). */
  searchFetch?: typeof fetch;
};

const DEFAULT_FETCH_LIMITS: FetchPageLimits = { maxBytes: 2 * 1024 * 1024, timeoutMs: 15_000 };

export function createWebAccess(deps: WebAccessDeps): WebAccess {
  const limits = { ...DEFAULT_FETCH_LIMITS, ...deps.limits };
  const backend: SearchBackend | undefined = searchBackendFrom(deps.search, deps.searchFetch);
  const searchTimeoutMs = deps.limits?.searchTimeoutMs ?? 20_000;
  return {
    fetchPage: (url, signal) => fetchPage(deps.guardedFetch, url, limits, signal),
    search: backend
      ? async (q) => ({ backend: backend.name, hits: await backend.search(q, AbortSignal.timeout(searchTimeoutMs)) })
      : undefined,
  };
}
