// Small helpers for app.inject-based tests.
import type { App } from '../../src/http/server.js';

export async function call(app: App, method: string, url: string, body?: unknown) {
  const res = await app.inject({ method: method as never, url, ...(body === undefined ? {} : { payload: body as never }) });
  let json: any;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = res.body;
  }
  return { status: res.statusCode, body: json, headers: res.headers };
}

export const TEST_ENV = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
