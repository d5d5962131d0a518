import { describe, expect, it } from 'vitest';
import { parseCidrList } from './cidr-list.js';
import { clientAddress, normalizeAddress } from './client-address.js';

const trusted = (...cidrs: string[]) => {
  const { list, problems } = parseCidrList(cidrs, '/server/trustedProxies');
  expect(problems).toEqual([]);
  return list;
};

describe('clientAddress', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.4', '203.0.113.7', trusted())).toBe('198.51.100.4');
  });

  it('ignores a spoofed header from an untrusted peer', () => {
    expect(clientAddress('198.51.100.4', '10.0.0.1, 203.0.113.7', trusted('10.0.0.0/8'))).toBe('198.51.100.4');
  });

  it('reads X-Forwarded-For right to left from a trusted proxy, skipping trusted hops', () => {
    const proxies = trusted('10.0.0.0/8', '192.168.1.1');
    expect(clientAddress('10.0.0.5', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '203.0.113.7, 192.168.1.1, 10.2.3.4', proxies)).toBe('203.0.113.7');
    // The client itself wrote the left part; only the hops our proxies appended are believed.
    expect(clientAddress('10.0.0.5', '1.1.1.1, 203.0.113.7', proxies)).toBe('203.0.113.7');
  });

  it('joins repeated X-Forwarded-For headers in order', () => {
    expect(clientAddress('10.0.0.5', ['6.6.6.6, 203.0.113.7', '10.0.0.9'], trusted('10.0.0.0/8'))).toBe('203.0.113.7');
  });

  it('falls back to the nearest vouched-for address when the chain holds garbage or is all trusted', () => {
    const proxies = trusted('10.0.0.0/8');
    expect(clientAddress('10.0.0.5', 'not-an-ip, 10.0.0.9', proxies)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.5', '', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '10.0.0.7, 10.0.0.9', proxies)).toBe('10.0.0.7');
  });

  it('handles IPv6, IPv4-mapped peers and hops with ports', () => {
    expect(clientAddress('::ffff:10.0.0.5', '203.0.113.7:4711', trusted('10.0.0.0/8'))).toBe('203.0.113.7');
    expect(clientAddress('fd00::1', '[2001:DB8::7]:443', trusted('fd00::/8'))).toBe('2001:db8::7');
    expect(clientAddress('::ffff:198.51.100.4', '203.0.113.7', trusted('10.0.0.0/8'))).toBe('198.51.100.4');
    expect(normalizeAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('parseCidrList', () => {
  it('matches addresses and subnets of both families', () => {
    const list = trusted('10.0.0.0/8', '192.0.2.1', 'fd00::/8', '::1');
    expect(list.size).toBe(4);
    expect(['10.255.0.1', '192.0.2.1', 'fd12::3', '::1', '::ffff:10.0.0.1'].map((a) => list.has(a))).toEqual([true, true, true, true, true]);
    expect(['11.0.0.1', '192.0.2.2', 'fe80::1', 'garbage', ''].map((a) => list.has(a))).toEqual([false, false, false, false, false]);
  });

  it('names every bad entry by its config path', () => {
    const { problems, list } = parseCidrList(['10.0.0.0/8', '10.0.0.0/33', 'example.com', '1.2.3.4/8/1', 'fd00::/129'], '/limits/denyList');
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_INVALID_VALUE', '/limits/denyList/1'],
      ['CONFIG_INVALID_VALUE', '/limits/denyList/2'],
      ['CONFIG_INVALID_VALUE', '/limits/denyList/3'],
      ['CONFIG_INVALID_VALUE', '/limits/denyList/4'],
    ]);
    expect(problems[1]!.message).toContain('"example.com" is not an IP address or CIDR');
    expect(list.has('10.1.1.1')).toBe(true);
  });
});
