// Organizations for cross-tenant tests: each tenant is an organization plus the headers that act as it.
import type { TestApp } from '../../support/test-app.js';
import { createOrgWithKey } from '../../support/orgs.js';

/** The operator's key (MNEMO_API_KEY) in tests that create organizations. */
export const ADMIN_KEY = 'admin-key-for-cross-tenant-tests';

export type Tenant = { name: string; orgId: string; keyId: string; headers: Record<string, string> };
export type Reply = { status: number; body: any; text: string };

/** A new organization with its own API key, made through the admin API; requests act as it by that key. */
export async function createTenant(t: TestApp, name: string): Promise<Tenant> {
  const org = await createOrgWithKey(t.app, ADMIN_KEY, name);
  return { name, orgId: org.orgId, keyId: org.keyId, headers: { authorization: `Bearer ${org.key}` } };
}

const REQUEST_MS = 15_000;

/** One request as the tenant; the body is parsed when it is JSON. */
export async function as(t: TestApp, who: Tenant, method: string, url: string, body?: unknown): Promise<Reply> {
  const started = Date.now();
  const res = await Promise.race([
    t.app.inject({ method: method as never, url, headers: who.headers, ...(body === undefined ? {} : { payload: body as never }) }),
    new Promise<never>((_r, reject) =>
      setTimeout(() => reject(new Error(`${method} ${url} took over ${REQUEST_MS} ms`)), REQUEST_MS).unref(),
    ),
  ]);
  if (process.env.CT_DEBUG) console.error(`${Date.now() - started}ms ${res.statusCode} ${method} ${url}`);
  let parsed: any = res.body;
  try {
    parsed = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    /* SSE or text: keep the raw text */
  }
  return { status: res.statusCode, body: parsed, text: res.body };
}
