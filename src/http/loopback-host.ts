// Which host names and addresses are this machine's loopback: for the listen address check and the DNS-rebinding guard.
import ipaddr from 'ipaddr.js';

/** localhost, *.localhost, 127.0.0.0/8, ::1 (also IPv4-mapped), with or without brackets and a trailing dot. */
export function isLoopbackName(name: string): boolean {
  let h = name.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (ipaddr.IPv4.isValidFourPartDecimal(h)) return ipaddr.IPv4.parse(h).range() === 'loopback';
  if (h.includes(':') && ipaddr.IPv6.isValid(h)) return ipaddr.process(h).range() === 'loopback';
  return false;
}

/** True when an HTTP Host header (`name[:port]`, `[v6]:port`) names loopback; a missing or malformed header does not. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.trim();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  if (name === '' || (h.startsWith('[') && !/^(:\d*)?$/.test(h.slice(name.length)))) return false;
  return isLoopbackName(name);
}
