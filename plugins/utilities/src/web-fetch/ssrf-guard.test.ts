import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkAddress, checkHostname, createSsrfPolicy, guardedLookup, type Resolver } from './ssrf-guard.js';

const policy = (overrides: { allowPrivateNetworks?: boolean; allowHosts?: string[]; denyHosts?: string[] } = {}) =>
  createSsrfPolicy({ allowPrivateNetworks: false, allowHosts: [], denyHosts: [], ...overrides });

describe('checkAddress', () => {
  it('allows public addresses and blocks internal ones by default', () => {
    expect(checkAddress(policy(), 'example.com', '8.8.8.8').allowed).toBe(true);
    const verdict = checkAddress(policy(), 'intranet', '10.1.2.3');
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining('10.1.2.3 (resolved from "intranet") is a private address') });
  });

  it('opens internal networks with allowPrivateNetworks, but never metadata, unspecified or multicast', () => {
    const open = policy({ allowPrivateNetworks: true });
    for (const address of ['127.0.0.1', '10.0.0.1', '::1', 'fc00::1', 'fe80::1', '100.64.0.1'])
      expect(checkAddress(open, address, address).allowed, address).toBe(true);
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '0.0.0.0', '224.0.0.1', '255.255.255.255'])
      expect(checkAddress(open, address, address).allowed, address).toBe(false);
  });

  it('allows a hostname listed in allowHosts whatever internal address it has', () => {
    const p = policy({ allowHosts: ['db.internal'] });
    expect(checkAddress(p, 'db.internal', '10.0.0.5').allowed).toBe(true);
    expect(checkAddress(p, 'other.internal', '10.0.0.5').allowed).toBe(false);
    expect(checkAddress(p, 'db.internal', '169.254.169.254').allowed).toBe(false);
  });

  it('allows an address or range listed in allowHosts, metadata included, for any hostname', () => {
    const p = policy({ allowHosts: ['127.0.0.1', '169.254.169.254'] });
    expect(checkAddress(p, 'anything', '127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, 'anything', '::ffff:127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, 'anything', '127.0.0.2').allowed).toBe(false);
    expect(checkAddress(p, '169.254.169.254', '169.254.169.254').allowed).toBe(true);
  });

  it('lets denyHosts win over every allowance', () => {
    const p = policy({ allowPrivateNetworks: true, allowHosts: ['10.0.0.0/8', 'ok.test'], denyHosts: ['10.9.0.0/16', 'bad.test', '8.8.8.8'] });
    expect(checkAddress(p, 'x', '10.9.1.1')).toMatchObject({ allowed: false, reason: expect.stringContaining('denyHosts') });
    expect(checkAddress(p, 'bad.test', '10.1.1.1').allowed).toBe(false);
    expect(checkAddress(p, 'x', '8.8.8.8').allowed).toBe(false);
    expect(checkHostname(p, 'BAD.test.').allowed).toBe(false);
  });

  it('refuses metadata service names before DNS', () => {
    expect(checkHostname(policy(), 'metadata.google.internal').allowed).toBe(false);
    expect(checkHostname(policy(), 'metadata.google.internal.').allowed).toBe(false);
    expect(checkHostname(policy(), 'example.com').allowed).toBe(true);
  });

  it('reports every malformed config entry at setup, with its path', () => {
    expect(() => policy({ allowHosts: ['ok.test', 'bad host'], denyHosts: ['300.0.0.0/8'] })).toThrow(
      /webFetch\.allowHosts\[1\].*"bad host".*webFetch\.denyHosts\[0\]/,
    );
  });
});

describe('guardedLookup', () => {
  const lookup = (resolve: Resolver, options: { all?: boolean; family?: number } = {}) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>((done) =>
      guardedLookup(policy({ allowHosts: ['app.test'] }), 'app.test', resolve)('app.test', options, (error, address, family) =>
        done({ error, address, ...(family === undefined ? {} : { family }) }),
      ),
    );

  it('hands out the checked answers, in the shape node:net asks for', async () => {
    const resolve: Resolver = async () => [
      { address: '10.0.0.7', family: 4 },
      { address: 'fd00::7', family: 6 },
    ];
    expect(await lookup(resolve)).toEqual({ error: null, address: '10.0.0.7', family: 4 });
    expect(await lookup(resolve, { all: true })).toMatchObject({ error: null, address: [{ address: '10.0.0.7' }, { address: 'fd00::7' }] });
    expect(await lookup(resolve, { family: 6 })).toEqual({ error: null, address: 'fd00::7', family: 6 });
  });

  it('refuses the host when any answer is blocked (DNS rebinding, mixed answers)', async () => {
    const rebinding = policy();
    const resolve: Resolver = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    const error = await new Promise<Error | null>((done) => guardedLookup(rebinding, 'evil.test', resolve)('evil.test', { all: true }, (e) => done(e)));
    expect(error).toMatchObject({ code: 'BLOCKED', message: expect.stringContaining('cloud metadata') });
  });

  it('passes DNS failures through', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND app.test'), { code: 'ENOTFOUND' });
    };
    expect((await lookup(failing)).error).toMatchObject({ code: 'ENOTFOUND' });
    expect((await lookup(async () => [])).error).toMatchObject({ code: 'NETWORK' });
  });
});
