// Isolation everywhere: organization B, with its own key, reaches none of organization A's resources through any
// route of the OpenAPI document: another organization's id answers exactly like an id that exists nowhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { ADMIN_PREFIX } from './support/route-table.js';
import { casesFor, routesOf, runAdmin, runCase, runList, runNoId, unmapped, type Route } from './support/route-walker.js';
import { snapshotOf } from './support/snapshot.js';
import { ADMIN_KEY, createTenant } from './support/tenants.js';
import { buildWorld, type World } from './support/tenant-world.js';

const h = useAgentHarness({
  resetLlm: false,
  env: {
    MNEMO_API_KEY: ADMIN_KEY,
    MNEMO_OUTBOUND_ALLOW: '127.0.0.1',
    MNEMO_SECRET_KEY: 'cross-tenant-secret-key-0123456789abcdef',
    // The walk sends more requests per key than the default limit of 600 a minute; the limit has its own tests.
    MNEMO_RATE_LIMIT_PER_MINUTE: '0',
  },
});
let A: World;
let B: World;
let routes: Route[];

beforeAll(async () => {
  A = await buildWorld(h, await createTenant(h, 'A'));
  B = await buildWorld(h, await createTenant(h, 'B'));
  routes = routesOf((await h.app.inject({ url: '/openapi.json', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json());
}, 120_000);

describe('cross-tenant route walk', () => {
  it('maps every route and parameter of the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(unmapped(routes)).toEqual([]);
  });

  it("answers B with A's ids exactly like ids that exist nowhere, and leaves A unchanged", async () => {
    const before = await snapshotOf(h, A);
    const failures: string[] = [];
    // Deletions last, so a leaking delete cannot hide the other routes' answers.
    const ordered = [...routes.filter((r) => r.method !== 'DELETE'), ...routes.filter((r) => r.method === 'DELETE')];
    let probes = 0;
    for (const r of ordered) {
      if (r.path.startsWith(ADMIN_PREFIX)) {
        const f = await runAdmin(h, A, B, r);
        if (f) failures.push(f);
        continue;
      }
      if (r.method === 'GET' && r.pathParams.length === 0) {
        failures.push(...(await runList(h, A, B, r)));
      }
      const noId = await runNoId(h, A, B, r);
      if (noId) failures.push(noId);
      for (const c of casesFor(r, A, B)) {
        probes++;
        const f = await runCase(h, A, B, c).catch((err: Error) => `${c.label}: ${err.message}`);
        if (f) failures.push(f);
      }
    }
    const after = await snapshotOf(h, A);
    for (const url of Object.keys(before))
      if (before[url] !== after[url])
        failures.push(`A's ${url} changed:\n  before ${before[url]!.slice(0, 400)}\n  after  ${after[url]!.slice(0, 400)}`);
    console.log(`cross-tenant walk: ${routes.length} routes, ${probes} probes, ${failures.length} failures`);
    if (process.env.CT_DEBUG) console.error(failures.join('\n\n'));
    expect(failures).toEqual([]);
  }, 300_000);
});
