// Asks a provider which models it offers: GET <base>/models (OpenAI-compatible) or GET <base>/v1/models (Anthropic),
// with a short timeout and a bounded reply. A caller-given base URL comes with the guarded fetch.
import type { ModelInfo } from './types.js';

export type ModelListSource = {
  /** Cache key: the provider's name, or the BYOK provider's id and version. */
  key: string;
  /** Shown in logs and the start-up banner. */
  name: string;
  kind: 'openai' | 'anthropic';
  /** OpenAI-compatible: the base URL ending in /v1. Anthropic: the SDK's base URL (with or without /v1). */
  baseUrl: string;
  apiKey?: string;
  fetch: typeof fetch;
};

const MAX_REPLY_BYTES = 4 * 1024 * 1024;
const MAX_MODELS = 5_000;
const MAX_PAGES = 5;

const trim = (u: string) => u.replace(/\/+$/, '');

async function readJson(res: Response): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_REPLY_BYTES) throw new Error(`model list too large (${length} bytes)`);
  const text = await res.text();
  if (text.length > MAX_REPLY_BYTES) throw new Error('model list too large');
  return JSON.parse(text);
}

type ListPage = { data?: { id?: unknown; display_name?: unknown }[]; has_more?: unknown; last_id?: unknown };

async function getPage(src: ModelListSource, url: string, signal: AbortSignal): Promise<ListPage> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (src.kind === 'anthropic') {
    headers['anthropic-version'] = '2023-06-01';
    if (src.apiKey) headers['x-api-key'] = src.apiKey;
  } else if (src.apiKey) {
    headers.authorization = `Bearer ${src.apiKey}`;
  }
  const res = await src.fetch(url, { headers, signal });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${res.status} from ${new URL(url).host}`);
  }
  const body = await readJson(res);
  if (!body || typeof body !== 'object' || !Array.isArray((body as ListPage).data)) throw new Error('not a model list');
  return body as ListPage;
}

function infos(page: ListPage): ModelInfo[] {
  return (page.data ?? []).flatMap((m) =>
    typeof m.id === 'string' && m.id.length <= 300
      ? [{ id: m.id, ...(typeof m.display_name === 'string' ? { displayName: m.display_name.slice(0, 300) } : {}) }]
      : [],
  );
}

/** The provider's model ids; throws when it cannot be reached or answers something else. */
export async function probeModelList(src: ModelListSource, timeoutMs: number): Promise<ModelInfo[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  if (src.kind === 'openai') return infos(await getPage(src, `${trim(src.baseUrl)}/models`, signal)).slice(0, MAX_MODELS);
  const base = `${trim(src.baseUrl).replace(/\/v1$/, '')}/v1/models?limit=1000`;
  const out: ModelInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES && out.length < MAX_MODELS; page++) {
    const body = await getPage(src, after ? `${base}&after_id=${encodeURIComponent(after)}` : base, signal);
    out.push(...infos(body));
    if (body.has_more !== true || typeof body.last_id !== 'string') break;
    after = body.last_id;
  }
  return out.slice(0, MAX_MODELS);
}
