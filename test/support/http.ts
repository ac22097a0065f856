// Small helpers for app.inject-based tests.
import type { App } from '../../src/http/app-type.js';

export async function call(app: App, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: method as never, url, headers, ...(body === undefined ? {} : { payload: body as never }) });
  let json: any;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = res.body;
  }
  return { status: res.statusCode, body: json, headers: res.headers };
}

export const TEST_ENV = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };

/** Polls `fn` until it returns something truthy; fails after `ms`. Bounded in time, for tests only. */
export async function until<T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
