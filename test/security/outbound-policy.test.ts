// The outbound-URL policy as a function: schemes, every refused address range (v4, v6, IPv4-mapped), resolved names,
// and the operator's allow-list entries (host, host:port, IP, IP:port, [IPv6]:port, CIDR).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  blockedRange,
  checkOutboundUrl,
  createOutboundPolicy,
  OutboundRefusedError,
  parseOutboundAllow,
  type Resolver,
} from '../../src/net/outbound-policy.js';

const DNS: Record<string, string[]> = {
  'public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.test': ['10.1.2.3'],
  'mixed.test': ['93.184.216.34', '127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'v6local.test': ['fd12::1'],
  'mapped.test': ['::ffff:192.168.1.1'],
};
const resolve: Resolver = async (host) => {
  const found = DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};
const none = createOutboundPolicy();
const check = (url: string, allow: string = '') => checkOutboundUrl(url, createOutboundPolicy(allow), resolve);
const refusal = async (url: string, allow = ''): Promise<OutboundRefusedError> => {
  const err = await check(url, allow).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRefusedError);
  return err as OutboundRefusedError;
};

describe('address ranges', () => {
  const refused = [
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.2.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:7f00:1::',
    '2001:db8::1',
  ];
  it.each(refused)('refuses %s', (ip) => expect(blockedRange(ip)).toBeDefined());
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('accepts public %s', (ip) =>
    expect(blockedRange(ip)).toBeUndefined(),
  );
});

describe('checkOutboundUrl', () => {
  it('accepts a public name and returns every address it resolved, for the connection to use', async () => {
    const t = await check('https://public.test/hook');
    expect(t).toMatchObject({ host: 'public.test', port: 443, addresses: DNS['public.test'] });
  });

  it('refuses other schemes', async () => {
    for (const url of ['ftp://public.test/', 'file:///etc/passwd', 'gopher://public.test/', 'javascript:alert(1)']) {
      expect((await refusal(url)).reason).toBe('scheme');
    }
  });

  it('refuses literal loopback, metadata and private addresses in every spelling, naming the policy and the fix', async () => {
    const err = await refusal('http://127.0.0.1:8765/mcp');
    expect(err.message).toContain('outbound URL policy');
    expect(err.message).toContain('loopback');
    expect(err.message).toContain('MNEMO_OUTBOUND_ALLOW=127.0.0.1:8765');
    expect(err.status).toBe(400);
    expect((await refusal('http://169.254.169.254/latest/meta-data/')).message).toContain('link-local');
    for (const url of [
      'http://2130706433/',
      'http://0x7f.0.0.1/',
      'http://127.1/',
      'http://[::1]:80/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://0/',
      'http://[fe80::1]/',
    ]) {
      expect((await refusal(url)).reason, url).toBe('address');
    }
    expect((await refusal('http://[::1]:9000/')).message).toContain('MNEMO_OUTBOUND_ALLOW=[::1]:9000');
  });

  it('refuses a name when any address it resolves to is refused (private, mixed, metadata, unique-local, mapped)', async () => {
    for (const host of ['internal.test', 'mixed.test', 'metadata.test', 'v6local.test', 'mapped.test']) {
      const err = await refusal(`http://${host}/`);
      expect(err.reason, host).toBe('address');
      expect(err.message).toContain(host);
    }
  });

  it('refuses localhost through the real resolver', async () => {
    const err = await checkOutboundUrl('http://localhost:8765/', none).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as OutboundRefusedError).message).toContain('MNEMO_OUTBOUND_ALLOW=localhost:8765');
  });

  it('refuses a name that does not resolve (reason unresolved)', async () => {
    expect((await refusal('http://nowhere.test/')).reason).toBe('unresolved');
  });
});

describe('the allow-list', () => {
  it('an IP entry allows that address on every port; IP:port only that port', async () => {
    await expect(check('http://127.0.0.1:1234/', '127.0.0.1')).resolves.toMatchObject({ port: 1234 });
    await expect(check('http://127.0.0.1:8765/', '127.0.0.1:8765')).resolves.toBeDefined();
    await refusal('http://127.0.0.1:8766/', '127.0.0.1:8765');
    await refusal('http://127.0.0.2:8765/', '127.0.0.1:8765');
  });

  it('a CIDR entry allows the addresses inside it, by literal or by name, and also their IPv4-mapped form', async () => {
    await expect(check('http://10.9.8.7/', '10.0.0.0/8')).resolves.toBeDefined();
    await expect(check('http://internal.test/', '10.0.0.0/8')).resolves.toBeDefined();
    await expect(check('http://[::ffff:10.1.1.1]/', '10.0.0.0/8')).resolves.toBeDefined();
    await expect(check('http://mapped.test/', '192.168.0.0/16')).resolves.toBeDefined();
    await refusal('http://172.16.0.1/', '10.0.0.0/8');
    await refusal('http://mixed.test/', '10.0.0.0/8');
  });

  it('IPv6 entries: a bare address, [address]:port and a CIDR', async () => {
    await expect(check('http://[::1]:80/', '::1')).resolves.toBeDefined();
    await expect(check('http://[::1]:9000/', '[::1]:9000')).resolves.toBeDefined();
    await refusal('http://[::1]:9001/', '[::1]:9000');
    await expect(check('http://v6local.test/', 'fd00::/8')).resolves.toBeDefined();
    await refusal('http://[fe80::1]/', 'fd00::/8');
  });

  it('a host entry trusts that name (with or without a port), not the addresses behind other names', async () => {
    await expect(check('http://internal.test:8080/', 'internal.test')).resolves.toBeDefined();
    await expect(check('http://INTERNAL.test:8080/', 'internal.test:8080')).resolves.toBeDefined();
    await refusal('http://internal.test:8081/', 'internal.test:8080');
    await refusal('http://10.1.2.3:8080/', 'internal.test');
    await refusal('http://mixed.test/', 'internal.test');
  });

  it('parses a list with spaces and refuses bad entries at start-up (ConfigError)', () => {
    expect(parseOutboundAllow(' 127.0.0.1:8765 , mcp.internal,10.0.0.0/8,[::1]:9000 ')).toHaveLength(4);
    for (const bad of ['http://x', '10.0.0.0/99', 'host:99999', 'a b']) {
      expect(() => parseOutboundAllow(bad), bad).toThrow();
      expect(() => loadConfig({ MNEMO_OUTBOUND_ALLOW: bad }), bad).toThrow(/MNEMO_OUTBOUND_ALLOW/);
    }
    expect(loadConfig({ MNEMO_OUTBOUND_ALLOW: '127.0.0.1:8765,mcp.internal' }).outboundAllow).toEqual(['127.0.0.1:8765', 'mcp.internal']);
  });
});
