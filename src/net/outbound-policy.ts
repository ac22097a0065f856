// The one outbound-URL policy for requests the server makes on a caller's behalf (MCP server_url, callback_url, and
// any future fetched page or caller-given provider URL): http(s) only, public unicast addresses only, unless the
// operator lists the target in MNEMO_OUTBOUND_ALLOW. Operator-configured provider base URLs are not subject to it.
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

export type AllowEntry = { kind: 'host'; host: string; port?: number } | { kind: 'cidr'; range: [Addr, number]; port?: number };

export type OutboundPolicy = Readonly<{ allow: readonly AllowEntry[] }>;

/** Resolves a host name to every address it has (v4 and v6). */
export type Resolver = (host: string) => Promise<string[]>;

/** A URL that passed the policy, with the addresses the connection must use (never resolved again). */
export type CheckedTarget = { url: URL; host: string; port: number; addresses: string[] };

export type RefusalReason = 'scheme' | 'address' | 'unresolved';

export class OutboundRefusedError extends AppError {
  constructor(
    readonly reason: RefusalReason,
    why: string,
    hint?: string,
  ) {
    super(`Outbound request refused by the outbound URL policy: ${why}.${hint ? ` ${hint}` : ''}`, 400);
  }
}

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Parses MNEMO_OUTBOUND_ALLOW: comma-separated host, host:port, IP, IP:port, [IPv6]:port or CIDR entries. */
export function parseOutboundAllow(text: string | readonly string[]): AllowEntry[] {
  const items = typeof text === 'string' ? text.split(',') : text;
  return items
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map(parseEntry);
}

export function createOutboundPolicy(allow: string | readonly string[] = []): OutboundPolicy {
  return Object.freeze({ allow: Object.freeze(parseOutboundAllow(allow)) });
}

function parseEntry(entry: string): AllowEntry {
  if (entry.includes('/')) return { kind: 'cidr', range: ipaddr.parseCIDR(entry) };
  if (isIp(entry)) return { kind: 'cidr', range: hostRange(ipaddr.parse(entry)) };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { kind: 'cidr', range: hostRange(ipaddr.IPv6.parse(bracketed[1]!)), ...portOf(bracketed[2]) };
  const m = /^([a-z0-9.-]+)(?::(\d+))?$/.exec(entry);
  if (!m) throw new Error(`bad MNEMO_OUTBOUND_ALLOW entry '${entry}'`);
  const host = m[1]!.replace(/\.$/, '');
  if (isIp(host)) return { kind: 'cidr', range: hostRange(ipaddr.parse(host)), ...portOf(m[2]) };
  return { kind: 'host', host, ...portOf(m[2]) };
}

function portOf(text: string | undefined): { port?: number } {
  if (text === undefined) return {};
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port '${text}'`);
  return { port };
}

function isIp(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

function hostRange(addr: Addr): [Addr, number] {
  return [addr, addr.kind() === 'ipv4' ? 32 : 128];
}

/** The range name of an address that the policy refuses, or undefined for a public unicast address. */
export function blockedRange(address: string): string | undefined {
  const addr = ipaddr.process(address); // IPv4-mapped IPv6 is judged as the IPv4 it maps
  const range = addr.range();
  return range === 'unicast' ? undefined : range;
}

function entryMatches(e: AllowEntry, host: string, port: number, address?: Addr): boolean {
  if (e.port !== undefined && e.port !== port) return false;
  if (e.kind === 'host') return e.host === host;
  if (!address) return false;
  const candidates: Addr[] = [address];
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    candidates.push((address as ipaddr.IPv6).toIPv4Address());
  return candidates.some((a) => a.kind() === e.range[0].kind() && a.match(e.range));
}

/** True when the operator's allow-list admits this address (or host name) at this port. */
function isAllowedByList(policy: OutboundPolicy, host: string, port: number, address?: string): boolean {
  const addr = address !== undefined ? ipaddr.parse(address) : undefined;
  return policy.allow.some((e) => entryMatches(e, host, port, addr));
}

/** The URL's host without IPv6 brackets or a trailing dot, lower-case. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function portOfUrl(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Checks a URL against the policy: scheme, then every address its host resolves to. Returns those addresses, so the
 * caller connects to exactly what was checked (no second DNS answer can point it somewhere else).
 */
export async function checkOutboundUrl(
  input: string | URL,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
): Promise<CheckedTarget> {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefusedError('scheme', `only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}`);
  }
  const host = hostOf(url);
  const port = portOfUrl(url);
  const addresses = isIp(host) ? [host] : await resolveAll(host, resolve);
  if (isAllowedByList(policy, host, port)) return { url, host, port, addresses };
  for (const address of addresses) {
    const range = blockedRange(address);
    if (range && !isAllowedByList(policy, host, port, address)) {
      const shown = host === address ? host : `${host} (${address})`;
      throw new OutboundRefusedError('address', `${shown} is a ${describeRange(range)} address`, allowHint(host, port));
    }
  }
  return { url, host, port, addresses };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new OutboundRefusedError('scheme', 'not a valid URL');
  }
}

async function resolveAll(host: string, resolve: Resolver): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) throw new OutboundRefusedError('unresolved', `the host ${host} could not be resolved`);
  return addresses;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local (cloud metadata)',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

function describeRange(range: string): string {
  return RANGE_NAMES[range] ?? `non-public (${range})`;
}

/** How the operator allows this target, e.g. for a local MCP server: MNEMO_OUTBOUND_ALLOW=127.0.0.1:8765. */
function allowHint(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `An operator can allow it with MNEMO_OUTBOUND_ALLOW=${shown}:${port} (comma-separated hosts, host:port or CIDRs).`;
}
