import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { matchesAddress, matchesHostname, normalizeHostname, parseHostRule, parseHostRules } from './host-rules.js';

describe('host rules', () => {
  it('parses hostnames, wildcards, addresses and CIDR ranges', () => {
    expect(parseHostRule('Docs.Example.COM.')).toEqual({ kind: 'host', name: 'docs.example.com' });
    expect(parseHostRule('*.example.com')).toEqual({ kind: 'subdomains', suffix: '.example.com' });
    expect(parseHostRule('10.0.0.0/8')).toMatchObject({ kind: 'range' });
    expect(parseHostRule('127.0.0.1')).toMatchObject({ kind: 'range', range: [expect.anything(), 32] });
    expect(parseHostRule('[::1]')).toMatchObject({ kind: 'range', range: [expect.anything(), 128] });
  });

  it('reports malformed entries with their index', () => {
    const { rules, problems } = parseHostRules(['ok.example', 'not a host', '10.0.0.0/33', '1.2.3/8', '*.']);
    expect(rules).toHaveLength(1);
    expect(problems.map((p) => p.index)).toEqual([1, 2, 3, 4]);
    expect(problems[0]!.message).toContain('"not a host"');
  });

  it('matches hostnames exactly or by subdomain', () => {
    const rules = parseHostRules(['api.example.com', '*.internal.test']).rules;
    expect(matchesHostname(rules, 'api.example.com')).toBe(true);
    expect(matchesHostname(rules, 'evil-api.example.com')).toBe(false);
    expect(matchesHostname(rules, 'a.b.internal.test')).toBe(true);
    expect(matchesHostname(rules, 'internal.test')).toBe(false);
    expect(matchesHostname(rules, 'xinternal.test')).toBe(false);
    expect(normalizeHostname('[::1]')).toBe('::1');
  });

  it('matches addresses by range, treating IPv4-mapped ranges as IPv4', () => {
    const rules = parseHostRules(['10.0.0.0/8', '::ffff:192.168.0.0/112', 'fd00::/8']).rules;
    expect(matchesAddress(rules, ipaddr.parse('10.20.30.40'))).toBe(true);
    expect(matchesAddress(rules, ipaddr.parse('11.0.0.1'))).toBe(false);
    expect(matchesAddress(rules, ipaddr.parse('192.168.7.7'))).toBe(true);
    expect(matchesAddress(rules, ipaddr.parse('fd00::5'))).toBe(true);
    expect(matchesAddress(rules, ipaddr.parse('fe80::5'))).toBe(false);
  });
});
