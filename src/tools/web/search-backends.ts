// Web search backends chosen by the operator: a SearXNG instance's JSON API or Tavily's hosted API. Their URLs come
// from the operator's configuration (like provider base URLs), so they are called with the plain fetch.
import { z } from 'zod';

export type SearchQuery = { query: string; numResults: number; includeDomains?: string[]; excludeDomains?: string[] };
export type SearchHit = { title: string; url: string; content: string; published_date?: string };
export type SearchBackend = { name: string; search(q: SearchQuery, signal: AbortSignal): Promise<SearchHit[]> };

export type SearchConfig = {
  searxngUrl?: string;
  tavily?: { apiKey: string; baseUrl: string };
};

class SearchBackendError extends Error {}

const MAX_SNIPPET_CHARS = 2_000;
const clip = (s: string) => (s.length > MAX_SNIPPET_CHARS ? `${s.slice(0, MAX_SNIPPET_CHARS)}…` : s);

const SearxngBody = z.object({
  results: z
    .array(z.object({ url: z.string(), title: z.string().nullish(), content: z.string().nullish(), publishedDate: z.string().nullish() }))
    .default([]),
});

const TavilyBody = z.object({
  results: z
    .array(z.object({ url: z.string(), title: z.string().nullish(), content: z.string().nullish(), published_date: z.string().nullish() }))
    .default([]),
});

/** Site filters SearXNG understands inside the query text. */
function withSiteFilters(q: SearchQuery): string {
  const inc = (q.includeDomains ?? []).map((d) => `site:${d}`);
  const exc = (q.excludeDomains ?? []).map((d) => `-site:${d}`);
  const sites = inc.length > 1 ? `(${inc.join(' OR ')})` : inc.join('');
  return [q.query, sites, ...exc].filter(Boolean).join(' ');
}

function searxng(baseUrl: string, fetchFn: typeof fetch): SearchBackend {
  return {
    name: 'searxng',
    async search(q, signal) {
      const url = new URL('search', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      url.searchParams.set('q', withSiteFilters(q));
      url.searchParams.set('format', 'json');
      const res = await fetchFn(url, { headers: { accept: 'application/json' }, signal });
      const body = await readJson(res, 'SearXNG', SearxngBody);
      return body.results.slice(0, q.numResults).map((r) => hit(r.url, r.title, r.content, r.publishedDate));
    },
  };
}

function tavily(cfg: { apiKey: string; baseUrl: string }, fetchFn: typeof fetch): SearchBackend {
  return {
    name: 'tavily',
    async search(q, signal) {
      const url = new URL('search', cfg.baseUrl.endsWith('/') ? cfg.baseUrl : `${cfg.baseUrl}/`);
      const body = {
        query: q.query,
        max_results: Math.min(q.numResults, 20),
        ...(q.includeDomains?.length ? { include_domains: q.includeDomains } : {}),
        ...(q.excludeDomains?.length ? { exclude_domains: q.excludeDomains } : {}),
      };
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
        body: JSON.stringify(body),
        signal,
      });
      const parsed = await readJson(res, 'Tavily', TavilyBody);
      return parsed.results.map((r) => hit(r.url, r.title, r.content, r.published_date));
    },
  };
}

function hit(url: string, title?: string | null, content?: string | null, published?: string | null): SearchHit {
  return { title: title ?? '', url, content: clip(content ?? ''), ...(published ? { published_date: published } : {}) };
}

async function readJson<T extends z.ZodType>(res: Response, who: string, schema: T): Promise<z.infer<T>> {
  const text = await res.text();
  if (!res.ok) throw new SearchBackendError(`${who} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SearchBackendError(`${who} answered something that is not JSON`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new SearchBackendError(`${who} answered JSON of an unexpected shape`);
  return parsed.data;
}

/** The configured backend (SearXNG wins when both are set), or undefined when web search is not configured. */
export function searchBackendFrom(cfg: SearchConfig, fetchFn: typeof fetch = fetch): SearchBackend | undefined {
  if (cfg.searxngUrl) return searxng(cfg.searxngUrl, fetchFn);
  if (cfg.tavily) return tavily(cfg.tavily, fetchFn);
  return undefined;
}
