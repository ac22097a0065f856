// Walks every route of the OpenAPI document as organization B with organization A's ids (path, query and body),
// comparing each answer with the answer to an id that exists nowhere. Returns one message per failure.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../support/test-app.js';
import {
  ADMIN_PARAMS,
  ADMIN_PREFIX,
  ALIASES,
  BODIES,
  BODY_PROBES,
  ID_LIST_QUERY,
  ID_PARAMS,
  NAME_QUERIES,
  NAMED_PARAMS,
  NO_ID_ROUTES,
  NOT_RESOURCE_IDS,
  QUERIES,
} from './route-table.js';
import { as, type Reply } from './tenants.js';
import { ID_KINDS, PREFIX, type IdKind, type World } from './tenant-world.js';

export type Route = { key: string; method: string; path: string; pathParams: string[]; queryParams: string[]; bodyProps: string[] };
type Case = {
  label: string;
  method: string;
  url: string;
  body?: unknown;
  twinUrl: string;
  twinBody?: unknown;
  probed: string[];
  missing: string;
  mustBe404: boolean;
};

export function routesOf(doc: any): Route[] {
  const out: Route[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [m, op] of Object.entries<any>(ops)) {
      const params: any[] = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema ?? {};
      const props = schema.properties ?? (schema.anyOf ?? schema.oneOf ?? []).find((s: any) => s.properties)?.properties ?? {};
      const method = m.toUpperCase();
      out.push({
        key: `${method} ${path}`,
        method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: Object.keys(props),
      });
    }
  }
  return out;
}

const looksLikeId = (name: string) => /(^|_)ids?$/.test(name) && !NOT_RESOURCE_IDS.has(name);
const missingId = (kind: IdKind) => `${PREFIX[kind]}-${randomUUID()}`;

/** Routes or parameters the tables do not cover: each needs a mapping before the walk can vouch for it. */
export function unmapped(routes: Route[]): string[] {
  const out: string[] = [];
  for (const r of routes) {
    if (r.path.startsWith(ADMIN_PREFIX)) {
      for (const p of r.pathParams)
        if (!ADMIN_PARAMS[p]) out.push(`${r.key}: admin path parameter '${p}' has no mapping: add it to ADMIN_PARAMS in route-table.ts`);
      continue;
    }
    for (const p of r.pathParams)
      if (!ID_PARAMS[p] && !NAMED_PARAMS[p])
        out.push(
          `${r.key}: path parameter '${p}' has no mapping: add it to ID_PARAMS or NAMED_PARAMS in test/security/support/route-table.ts`,
        );
    for (const q of r.queryParams)
      if (looksLikeId(q) && !ID_PARAMS[q] && !ID_LIST_QUERY[q])
        out.push(
          `${r.key}: query parameter '${q}' looks like an id: add it to ID_PARAMS/ID_LIST_QUERY or NOT_RESOURCE_IDS in route-table.ts`,
        );
    const probed = new Set((BODY_PROBES[r.key] ?? []).map((p) => p.prop));
    for (const b of r.bodyProps)
      if (looksLikeId(b) && !probed.has(b))
        out.push(
          `${r.key}: body field '${b}' carries ids but has no probe: add one to BODY_PROBES (or NOT_RESOURCE_IDS) in route-table.ts`,
        );
    const hasIds = r.pathParams.length > 0 || r.queryParams.some((q) => ID_PARAMS[q] || ID_LIST_QUERY[q]) || BODY_PROBES[r.key];
    if (!hasIds && r.method !== 'GET' && !NO_ID_ROUTES[r.key])
      out.push(`${r.key}: no ids to probe: add it to NO_ID_ROUTES (with a probe if it is keyed by name) or BODY_PROBES in route-table.ts`);
  }
  return out;
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name]!));
}

/** Path values for a route from one world, with some parameters overridden. */
function pathValues(r: Route, w: World, over: Record<string, string> = {}): Record<string, string> {
  const v: Record<string, string> = {};
  for (const p of r.pathParams) v[p] = over[p] ?? (ID_PARAMS[p] ? w.ids[ID_PARAMS[p]!] : NAMED_PARAMS[p]!.value(w));
  return v;
}

/** Cases for one route: path, query and body probes, each with its twin that uses an id existing nowhere. */
export function casesFor(r: Route, A: World, B: World): Case[] {
  const cases: Case[] = [];
  const body = BODIES[r.key]?.(B);
  const q = QUERIES[r.key] ? `?${QUERIES[r.key]}` : '';
  const url = (values: Record<string, string>, extra = '') => `${fill(r.path, values)}${q}${q && extra ? '&' : extra ? '?' : ''}${extra}`;
  const common = { method: r.method, body, twinBody: body };
  const pathProbes = r.pathParams.filter((p) => ID_PARAMS[p] || NAMED_PARAMS[p]!.varies);
  const one = (p: string) =>
    ID_PARAMS[p]
      ? { a: A.ids[ID_PARAMS[p]!], miss: missingId(ID_PARAMS[p]!) }
      : { a: NAMED_PARAMS[p]!.value(A), miss: NAMED_PARAMS[p]!.missing };
  if (pathProbes.length > 0) {
    const { miss } = one(pathProbes[0]!);
    const all = pathValues(r, A);
    cases.push({
      ...common,
      label: `${r.key} [all A]`,
      url: url(all),
      twinUrl: url({ ...all, [pathProbes[0]!]: miss }),
      probed: Object.values(all),
      missing: miss,
      mustBe404: true,
    });
  }
  if (r.pathParams.length > 1) {
    for (const p of pathProbes) {
      const { a, miss } = one(p);
      cases.push({
        ...common,
        label: `${r.key} [${p}=A]`,
        url: url(pathValues(r, B, { [p]: a })),
        twinUrl: url(pathValues(r, B, { [p]: miss })),
        probed: [a],
        missing: miss,
        mustBe404: true,
      });
    }
  }
  for (const p of r.pathParams) {
    for (const al of ALIASES[p] ?? []) {
      const a = A.ids[al.kind];
      const miss = missingId(al.kind);
      const [va, vm, ea, em] = al.alias ? [al.alias, al.alias, `${al.via}=${a}`, `${al.via}=${miss}`] : [a, miss, '', ''];
      cases.push({
        ...common,
        label: `${r.key} [${p}=${al.alias ?? 'A ' + al.kind}${al.alias ? ` ${al.via}=A` : ''}]`,
        url: url(pathValues(r, B, { [p]: va }), ea),
        twinUrl: url(pathValues(r, B, { [p]: vm }), em),
        probed: [a],
        missing: miss,
        mustBe404: false,
      });
    }
  }
  const base = url(pathValues(r, B));
  for (const qp of r.queryParams) {
    const kind = ID_PARAMS[qp] ?? ID_LIST_QUERY[qp];
    if (!kind) continue;
    const a = A.ids[kind];
    const miss = missingId(kind);
    const sep = base.includes('?') ? '&' : '?';
    cases.push({
      ...common,
      label: `${r.key} [?${qp}=A]`,
      url: `${base}${sep}${qp}=${a}`,
      twinUrl: `${base}${sep}${qp}=${miss}`,
      probed: [a],
      missing: miss,
      mustBe404: false,
    });
  }
  for (const probe of BODY_PROBES[r.key] ?? []) {
    const a = A.ids[probe.kind];
    const miss = missingId(probe.kind);
    cases.push({
      label: `${r.key} [body ${probe.prop}=A]`,
      method: r.method,
      url: base,
      body: probe.body(a, B),
      twinUrl: base,
      twinBody: probe.body(miss, B),
      probed: [a],
      missing: miss,
      mustBe404: false,
    });
  }
  return cases;
}

const ID_RE = new RegExp(
  `\\b(${ID_KINDS.map((k) => PREFIX[k]).join('|')})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
  'g',
);
/** An answer with ids and the probed names replaced, so "no tool named 'x'" equals "no tool named 'y'". */
function normal(res: Reply, names: string[]): string {
  let text = res.text.replace(ID_RE, '<id>');
  for (const n of names) text = text.split(n).join('<name>');
  return text;
}

/** Strings of A that must never reach B, except the ones B itself sent in this request. */
export function leaksIn(text: string, A: World, sent: string[]): string[] {
  const secrets = [...Object.values(A.ids), A.secret, A.tenant.orgId].filter((s) => !sent.includes(s));
  return secrets.filter((s) => text.includes(s));
}

export async function runCase(t: TestApp, A: World, B: World, c: Case): Promise<string | undefined> {
  const real = await as(t, B.tenant, c.method, c.url, c.body);
  const twin = await as(t, B.tenant, c.method, c.twinUrl, c.twinBody);
  if (c.mustBe404 && twin.status !== 404) {
    return `${c.label}: an id that exists nowhere answers ${twin.status} ${twin.text.slice(0, 200)}, not 404: give the route a valid body in BODIES (route-table.ts) so the walk reaches the id lookup`;
  }
  // Successful answers carry fresh ids and times, so only failures are compared word for word.
  const differs = real.status < 300 && twin.status < 300 ? false : normal(real, c.probed) !== normal(twin, [c.missing]);
  if (real.status !== twin.status || differs) {
    return `${c.label}: answered ${real.status} ${real.text.slice(0, 300)} but an id that exists nowhere answers ${twin.status} ${twin.text.slice(0, 200)}`;
  }
  const leaks = leaksIn(real.text, A, c.probed);
  return leaks.length ? `${c.label}: the answer contains organization A's ${leaks.join(', ')}` : undefined;
}

/** A list route (GET with no path parameter) as B: nothing of A's may appear anywhere in the answer. */
export async function runList(t: TestApp, A: World, B: World, r: Route): Promise<string[]> {
  const urls = [r.path];
  for (const q of r.queryParams) for (const v of NAME_QUERIES[q]?.(A) ?? []) urls.push(`${r.path}?${q}=${encodeURIComponent(v)}`);
  const out: string[] = [];
  for (const url of urls) {
    const res = await as(t, B.tenant, 'GET', url);
    if (res.status >= 400 && url === r.path) out.push(`${r.key}: list answered ${res.status} ${res.text.slice(0, 200)}`);
    const leaks = leaksIn(res.text, A, []);
    if (leaks.length) out.push(`GET ${url}: the list contains organization A's ${leaks.join(', ')}`);
  }
  return out;
}

/** A create/upsert route keyed by names, called as B with A's names; the snapshot of A checks nothing moved. */
export async function runNoId(t: TestApp, A: World, B: World, r: Route): Promise<string | undefined> {
  const probe = NO_ID_ROUTES[r.key]?.probe?.(A);
  if (!probe) return undefined;
  const res = await as(t, B.tenant, r.method, r.path, probe.body);
  const leaks = leaksIn(res.text, A, []);
  if (res.status >= 500) return `${r.key}: answered ${res.status} ${res.text.slice(0, 200)}`;
  return leaks.length ? `${r.key}: the answer contains organization A's ${leaks.join(', ')}` : undefined;
}

/** An admin route as B, naming A's organization and key: 403 whatever the ids, and nothing of A's in the answer. */
export async function runAdmin(t: TestApp, A: World, B: World, r: Route): Promise<string | undefined> {
  const values = Object.fromEntries(r.pathParams.map((p) => [p, ADMIN_PARAMS[p]!(A)]));
  const res = await as(
    t,
    B.tenant,
    r.method,
    fill(r.path, values),
    r.method === 'GET' || r.method === 'DELETE' ? undefined : { name: 'taken over' },
  );
  if (res.status !== 403) return `${r.key}: an organization key got ${res.status} ${res.text.slice(0, 200)} from the admin API, not 403`;
  const leaks = leaksIn(res.text, A, Object.values(values));
  return leaks.length ? `${r.key}: the answer contains organization A's ${leaks.join(', ')}` : undefined;
}
