// Test helpers for several tenants: create an organization with a key through the admin API, call as a key.
import { expect } from 'vitest';
import type { App } from '../../src/http/app-type.js';
import { call } from './http.js';

export type OrgWithKey = { orgId: string; key: string; keyId: string };

/** POST /v1/admin/orgs/ then POST /v1/admin/orgs/{id}/api-keys with the admin key (MNEMO_API_KEY). */
export async function createOrgWithKey(app: App, adminKey: string, name: string): Promise<OrgWithKey> {
  const org = await callAs(app, adminKey, 'POST', '/v1/admin/orgs/', { name });
  expect(org.status, JSON.stringify(org.body)).toBe(200);
  const key = await callAs(app, adminKey, 'POST', `/v1/admin/orgs/${org.body.id}/api-keys`, { name: `${name} key` });
  expect(key.status, JSON.stringify(key.body)).toBe(200);
  return { orgId: org.body.id, key: key.body.key, keyId: key.body.id };
}

/** app.inject with `Authorization: Bearer <key>` (no header when key is undefined); JSON body parsed. */
export function callAs(app: App, key: string | undefined, method: string, url: string, body?: unknown) {
  return call(app, method, url, body, key === undefined ? {} : { authorization: `Bearer ${key}` });
}
