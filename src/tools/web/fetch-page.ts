// Fetches one caller-given page through the guarded fetch (outbound policy on every hop), bounded in bytes and time,
// and returns readable text: HTML through Readability, other text types as they are.
import type { GuardedFetch } from '../../net/guarded-fetch.js';

export type FetchPageLimits = { maxBytes: number; timeoutMs: number };
export type FetchedPage = { url: string; status: number; contentType: string; title: string | null; text: string; truncated: boolean };

export class PageFetchError extends Error {}

const TEXTUAL = /^(text\/|application\/(xhtml\+xml|xml|json|ld\+json|javascript)|image\/svg\+xml)/i;

export async function fetchPage(fetch: GuardedFetch, url: string, limits: FetchPageLimits, signal?: AbortSignal): Promise<FetchedPage> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5', 'user-agent': 'Mnemo fetch_webpage' },
      signal: combined,
    });
  } catch (err) {
    if (timeout.aborted) throw new PageFetchError(`Fetching ${url} took longer than ${limits.timeoutMs} ms and was stopped.`);
    throw err;
  }
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType && !TEXTUAL.test(contentType)) {
    await res.body?.cancel().catch(() => undefined);
    throw new PageFetchError(`The page at ${url} is ${contentType}, not text or HTML; it cannot be shown as text.`);
  }
  const { bytes, truncated } = await readBounded(res, limits.maxBytes, timeout, url);
  const raw = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const isHtml = contentType === '' ? /<html|<body|<p[\s>]/i.test(raw.slice(0, 2000)) : /html/.test(contentType);
  // The HTML readers (linkedom, Readability, html-to-text: ~30 MB) load on the first HTML page, not at start.
  const page = isHtml ? (await import('./page-text.js')).htmlToReadableText(raw) : { title: null, text: raw };
  return { url: res.url || url, status: res.status, contentType, title: page.title, text: page.text, truncated };
}

/** Reads at most `max` bytes of the body, then stops the download. */
async function readBounded(
  res: Response,
  max: number,
  timeout: AbortSignal,
  url: string,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = res.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = max - size;
      chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
      size += Math.min(value.byteLength, room);
      if (size >= max) {
        await reader.cancel().catch(() => undefined);
        return { bytes: concat(chunks, size), truncated: true };
      }
    }
  } catch (err) {
    if (timeout.aborted) throw new PageFetchError(`Fetching ${url} took longer than allowed and was stopped.`);
    throw err;
  }
  return { bytes: concat(chunks, size), truncated: false };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
