import { describe, expect, it } from 'vitest';
import { classifyAddress } from './address-class.js';

describe('classifyAddress', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['0.0.0.0', 'unspecified'],
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
  ])('%s is %s', (address, category) => {
    expect(classifyAddress(address)?.category).toBe(category);
  });

  it.each([
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
  ])('%s is %s', (address, category) => {
    expect(classifyAddress(address)?.category).toBe(category);
  });

  it('classifies IPv6 forms that embed IPv4 as the IPv4 address', () => {
    for (const text of ['::ffff:7f00:1', '::ffff:0:127.0.0.1', '64:ff9b::127.0.0.1', '2002:7f00:1::1']) {
      const cls = classifyAddress(text);
      expect(cls?.category, text).toBe('loopback');
      expect(cls?.ip.toString(), text).toBe('127.0.0.1');
    }
    expect(classifyAddress('::ffff:169.254.169.254')?.category).toBe('metadata');
    expect(classifyAddress('::ffff:10.1.2.3')?.category).toBe('private');
    expect(classifyAddress('::ffff:8.8.8.8')?.category).toBe('public');
  });

  it('returns undefined for anything but an IP literal, including legacy IPv4 shorthands', () => {
    for (const text of ['localhost', 'example.com', '2130706433', '0x7f.1', '127.1', '', '1.2.3.4.5']) {
      expect(classifyAddress(text), text).toBeUndefined();
    }
  });
});
