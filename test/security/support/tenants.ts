// Organizations for cross-tenant tests: each tenant is an organization plus the headers that act as it.
import type { TestApp } from '../../support/test-app.js';
import { organizations } from '../../../src/db/schema/index.js';
import { newId } from '../../../src/ids.js';
import { seedBuiltinTools } from '../../../src/tools/seed.js';

export type Tenant = { name: string; orgId: string; headers: Record<string, string> };
export type Reply = { status: number; body: any; text: string };

// TEMP until work/orgs lands: the organization is made directly and chosen by a test-only header.
export async function createTenant(t: TestApp, name: string): Promise<Tenant> {
  const orgId = newId('org');
  await t.ctx.dbh.db.insert(organizations).values({ id: orgId, name });
  await seedBuiltinTools(t.ctx.dbh.db, orgId);
  return { name, orgId, headers: { 'x-test-org': orgId } };
}

const REQUEST_MS = 15_000;

/** One request as the tenant; the body is parsed when it is JSON. */
export async function as(t: TestApp, who: Tenant, method: string, url: string, body?: unknown): Promise<Reply> {
  const started = Date.now();
  const res = await Promise.race([
    t.app.inject({ method: method as never, url, headers: who.headers, ...(body === undefined ? {} : { payload: body as never }) }),
    new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`${method} ${url} took over ${REQUEST_MS} ms`)), REQUEST_MS).unref()),
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
