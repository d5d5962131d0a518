import { describe, expect, it } from 'vitest';
import type { AuthRequest } from '@cnmcp/core/plugin';
import { authRequest, setupStrategy } from '../testing/apikey-basic-context.js';
import type { MtlsConfig } from './config-schema.js';
import mtls from './plugin.js';
import { subjectAltNames } from './subject-names.js';

const withCert = (cert: NonNullable<AuthRequest['peerCertificate']>): AuthRequest => ({ ...authRequest(), peerCertificate: cert });
const verified = (cn: string, subjectaltname?: string) =>
  withCert({ subject: { CN: cn }, authorized: true, fingerprint256: 'AA:BB', ...(subjectaltname ? { subjectaltname } : {}) });

const config = (extra: Partial<MtlsConfig> = {}): MtlsConfig => ({
  identities: [
    { cn: 'ci-bot', roles: ['viewer'] },
    { san: 'URI:spiffe://example.org/ns/prod/sa/deployer', id: 'deployer', roles: ['operator'] },
    { san: 'DNS:agent.example.com', roles: ['viewer'] },
  ],
  allowUnmapped: false,
  unmappedRoles: [],
  ...extra,
});

describe('mtls strategy', () => {
  it('answers none without a client certificate, so the next strategy decides', async () => {
    const strategy = await setupStrategy(mtls, config());
    expect(await strategy.authenticate(authRequest())).toEqual({ kind: 'none' });
    expect(strategy.scheme).toBe('mTLS');
  });

  it('maps a verified CN to its identity and roles', async () => {
    const strategy = await setupStrategy(mtls, config());
    expect(await strategy.authenticate(verified('ci-bot'))).toEqual({
      kind: 'ok',
      identity: { id: 'ci-bot', authMethod: 'mtls', roles: ['viewer'], attributes: { certificateSubject: 'ci-bot', fingerprint256: 'AA:BB' } },
    });
  });

  it('maps a SAN (URI or DNS) to its identity; the id defaults to the SAN value', async () => {
    const strategy = await setupStrategy(mtls, config());
    const spiffe = await strategy.authenticate(verified('whatever', 'DNS:x.example, URI:spiffe://example.org/ns/prod/sa/deployer'));
    expect(spiffe).toMatchObject({ kind: 'ok', identity: { id: 'deployer', roles: ['operator'] } });
    const dns = await strategy.authenticate(verified('whatever', 'DNS:agent.example.com'));
    expect(dns).toMatchObject({ kind: 'ok', identity: { id: 'agent.example.com', roles: ['viewer'] } });
  });

  it('fails (never none) on a presented certificate that did not verify, even with a mapped CN', async () => {
    const strategy = await setupStrategy(mtls, config());
    const outcome = await strategy.authenticate(
      withCert({ subject: { CN: 'ci-bot' }, authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    );
    expect(outcome).toEqual({ kind: 'fail', reason: 'client certificate not verified: UNABLE_TO_VERIFY_LEAF_SIGNATURE', subject: 'ci-bot' });
  });

  it('fails on a verified certificate that matches no identity, unless allowUnmapped', async () => {
    expect(await (await setupStrategy(mtls, config())).authenticate(verified('stranger'))).toMatchObject({ kind: 'fail', subject: 'stranger' });
    const open = await setupStrategy(mtls, config({ allowUnmapped: true, unmappedRoles: ['guest'] }));
    expect(await open.authenticate(verified('stranger'))).toMatchObject({ kind: 'ok', identity: { id: 'stranger', roles: ['guest'] } });
  });

  it('does not match a CN entry against a SAN of the same text, nor a SAN prefix', async () => {
    const strategy = await setupStrategy(mtls, config());
    expect(await strategy.authenticate(verified('other', 'DNS:ci-bot'))).toMatchObject({ kind: 'fail' });
    expect(await strategy.authenticate(verified('other', 'DNS:agent.example.com.evil.example'))).toMatchObject({ kind: 'fail' });
  });
});

describe('subjectAltNames', () => {
  it('splits Node’s printed form, including quoted values holding commas', () => {
    expect(subjectAltNames('DNS:a.example, URI:spiffe://x/y, IP Address:127.0.0.1, email:ops@example.com')).toEqual([
      'DNS:a.example',
      'URI:spiffe://x/y',
      'IP Address:127.0.0.1',
      'email:ops@example.com',
    ]);
    expect(subjectAltNames('URI:"http://a/?x=1, y", DNS:b')).toEqual(['URI:http://a/?x=1, y', 'DNS:b']);
    expect(subjectAltNames(undefined)).toEqual([]);
  });
});
