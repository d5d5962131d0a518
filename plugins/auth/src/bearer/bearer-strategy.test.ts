import type { AuthOutcome } from '@cnmcp/core/plugin';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintHmac, startTestIdp, unsignedToken, type TestIdp, type TestKey } from '../testing/bearer-idp.js';
import { bearerRequest, requestWith, setupBearer, type BearerUnderTest } from '../testing/bearer-setup.js';

// Every test verifies real tokens against real keys served over HTTP by a local identity provider.
let idp: TestIdp;
let rsa: TestKey;
let ec: TestKey;
const HS_SECRET = 'a-shared-hmac-secret-of-32-bytes!';
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  idp = await startTestIdp();
  rsa = await idp.createKey('RS256');
  ec = await idp.createKey('ES256');
  idp.publish(rsa, ec);
});

afterAll(async () => {
  await idp?.close();
});

afterEach(() => {
  vi.useRealTimers();
});

const failed = (outcome: AuthOutcome) => (outcome.kind === 'fail' ? outcome.reason : `not a failure: ${outcome.kind}`);

async function jwks(extra: Record<string, unknown> = {}): Promise<BearerUnderTest> {
  return setupBearer({ jwksUri: idp.jwksUri, issuer: idp.issuer, audience: 'mcp', ...extra });
}

describe('bearer: header handling', () => {
  it('answers none without an Authorization header or with another scheme', async () => {
    const { strategy } = await jwks();
    expect(await strategy.authenticate(requestWith({}))).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(requestWith({ authorization: 'Basic YWxpY2U6c2VjcmV0' }))).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(requestWith({ authorization: 'ApiKey abc' }))).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(requestWith({ authorization: 'Bearerish abc' }))).toEqual({ kind: 'none' });
  });

  it('reads the scheme in any case', async () => {
    const { strategy } = await jwks();
    const token = await idp.mint(rsa, { aud: 'mcp' });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect((await strategy.authenticate(bearerRequest(token, scheme))).kind).toBe('ok');
  });

  it('fails an empty, structurally invalid or doubled bearer credential', async () => {
    const { strategy } = await jwks();
    const token = await idp.mint(rsa, { aud: 'mcp' });
    expect(failed(await strategy.authenticate(requestWith({ authorization: 'Bearer' })))).toBe('malformed');
    expect(failed(await strategy.authenticate(requestWith({ authorization: 'Bearer ' })))).toBe('malformed');
    expect(failed(await strategy.authenticate(bearerRequest('abcdefgh12345678abcdefgh12345678')))).toBe('malformed');
    expect(failed(await strategy.authenticate(bearerRequest(`${token}$`)))).toBe('malformed');
    expect(failed(await strategy.authenticate(requestWith({ authorization: [`Bearer ${token}`, `Bearer ${token}`] })))).toBe('malformed');
  });

  it('refuses an oversized token before fetching any key', async () => {
    const { strategy } = await setupBearer({ jwksUri: idp.jwksUri, audience: 'mcp' });
    const before = idp.counts.jwks;
    const token = await idp.mint(rsa, { aud: 'mcp', pad: 'x'.repeat(9000) });
    expect(token.length).toBeGreaterThan(8192);
    expect(failed(await strategy.authenticate(bearerRequest(token)))).toBe('token too large');
    expect(idp.counts.jwks).toBe(before);
    const small = await setupBearer({ jwksUri: idp.jwksUri, audience: 'mcp', maxTokenBytes: 256 });
    expect(failed(await small.strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }))))).toBe('token too large');
  });
});

describe('bearer: verification with a JWKS', () => {
  it('accepts a valid RS256 token and maps its claims to an identity', async () => {
    const { strategy } = await jwks();
    const token = await idp.mint(rsa, { aud: 'mcp', roles: ['admin', 'viewer'], scope: 'tools:read tools:call', azp: 'cli' });
    const outcome = await strategy.authenticate(bearerRequest(token));
    expect(outcome).toEqual({
      kind: 'ok',
      identity: {
        id: 'alice',
        authMethod: 'bearer',
        roles: ['admin', 'viewer'],
        scopes: ['tools:read', 'tools:call'],
        attributes: { issuer: idp.issuer, clientId: 'cli', expiresAt: expect.any(String) },
      },
    });
    // The token never travels downstream.
    expect(JSON.stringify(outcome)).not.toContain(token.split('.')[2]);
  });

  it('accepts a valid ES256 token and reads `scp` when there is no `scope`', async () => {
    const { strategy } = await jwks();
    const outcome = await strategy.authenticate(bearerRequest(await idp.mint(ec, { aud: ['other', 'mcp'], scp: ['a', 'b'] })));
    expect(outcome.kind === 'ok' && outcome.identity.scopes).toEqual(['a', 'b']);
    expect(outcome.kind === 'ok' && outcome.identity.roles).toEqual([]);
  });

  it('refuses an expired token, and honours the clock tolerance', async () => {
    const { strategy } = await jwks();
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', exp: now() - 3600 }))))).toBe('expired');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', exp: now() - 10 })))).kind).toBe('ok');
    const strict = await jwks({ clockToleranceSeconds: 0 });
    expect(failed(await strict.strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', exp: now() - 10 }))))).toBe('expired');
  });

  it('refuses a token whose nbf is in the future', async () => {
    const { strategy } = await jwks();
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', nbf: now() + 3600 }))))).toBe('not yet valid');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', nbf: now() + 10 })))).kind).toBe('ok');
  });

  it('requires exp and sub', async () => {
    const { strategy } = await jwks();
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', exp: undefined }))))).toBe('missing exp');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', sub: undefined }))))).toBe('missing sub');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', sub: '' }))))).toBe('missing sub');
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    const { strategy } = await jwks();
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', iss: 'https://evil.example.com' }))))).toBe('wrong issuer');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', iss: undefined }))))).toBe('wrong issuer');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'other' }))))).toBe('wrong audience');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, {}))))).toBe('wrong audience');
  });

  it('refuses a token signed by a key the JWKS does not hold', async () => {
    const { strategy } = await jwks();
    const stranger = await idp.createKey('RS256', rsa.kid);
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(stranger, { aud: 'mcp' }))))).toBe('bad signature');
  });

  it('refuses a token whose signature was tampered with', async () => {
    const { strategy } = await jwks();
    const [header, payload, signature] = (await idp.mint(rsa, { aud: 'mcp' })).split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ iss: idp.issuer, sub: 'admin', aud: 'mcp', exp: now() + 60 })).toString('base64url');
    expect(failed(await strategy.authenticate(bearerRequest(`${header}.${forged}.${signature}`)))).toBe('bad signature');
    expect(payload).not.toBe(forged);
  });

  it('refuses alg none, with the empty signature RFC 7519 gives it or with one made up', async () => {
    const { strategy } = await jwks();
    expect(failed(await strategy.authenticate(bearerRequest(unsignedToken({ iss: idp.issuer, aud: 'mcp' }))))).toBe('malformed');
    const padded = unsignedToken({ iss: idp.issuer, aud: 'mcp' }, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(failed(await strategy.authenticate(bearerRequest(padded)))).toBe('algorithm not allowed');
  });

  it('refuses HS/RS confusion: an HS256 token keyed with the RS public key (PEM or JWK bytes)', async () => {
    const { strategy } = await jwks();
    for (const secret of [rsa.publicPem, JSON.stringify(rsa.publicJwk)]) {
      const token = await mintHmac(secret, { iss: idp.issuer, aud: 'mcp' }, 'HS256', rsa.kid);
      expect(failed(await strategy.authenticate(bearerRequest(token)))).toBe('algorithm not allowed');
    }
  });

  it('refuses algorithms outside the allowlist even when the key would verify them', async () => {
    const { strategy } = await jwks({ algorithms: ['ES256'] });
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }))))).toBe('algorithm not allowed');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(ec, { aud: 'mcp' })))).kind).toBe('ok');
  });

  it('refetches the JWKS for an unknown kid after the cooldown, and not before (rotation)', async () => {
    const local = await startTestIdp();
    try {
      const oldKey = await local.createKey('RS256', 'old');
      const newKey = await local.createKey('RS256', 'new');
      local.publish(oldKey);
      const { strategy } = await setupBearer({ jwksUri: local.jwksUri });
      expect((await strategy.authenticate(bearerRequest(await local.mint(oldKey)))).kind).toBe('ok');
      expect(local.counts.jwks).toBe(1);

      local.publish(newKey);
      vi.useFakeTimers({ toFake: ['Date'] });
      // Inside the cooldown an unknown kid does not reach the issuer: a flood of made-up kids costs it nothing.
      vi.setSystemTime(Date.now() + 5_000);
      expect(failed(await strategy.authenticate(bearerRequest(await local.mint(newKey))))).toBe('unknown key');
      expect(local.counts.jwks).toBe(1);

      // Past the cooldown (30 s by default), the first token with the new kid triggers one refetch and passes.
      vi.setSystemTime(Date.now() + 30_000);
      expect((await strategy.authenticate(bearerRequest(await local.mint(newKey)))).kind).toBe('ok');
      expect(local.counts.jwks).toBe(2);
      expect((await strategy.authenticate(bearerRequest(await local.mint(newKey)))).kind).toBe('ok');
      expect(local.counts.jwks).toBe(2);
      // The retired key is gone from the cache with its JWKS.
      expect(failed(await strategy.authenticate(bearerRequest(await local.mint(oldKey))))).toBe('unknown key');
    } finally {
      await local.close();
    }
  });

  it('fails closed, logging no token, when the JWKS cannot be fetched', async () => {
    const { strategy, logs } = await setupBearer({ jwksUri: 'http://127.0.0.1:9/jwks' });
    const token = await idp.mint(rsa);
    expect(failed(await strategy.authenticate(bearerRequest(token)))).toBe('key source unavailable');
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('unavailable'))).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(token);
    expect(JSON.stringify(logs)).not.toContain(token.split('.')[2]);
  });
});

describe('bearer: OpenID Connect discovery', () => {
  it('finds the JWKS from the issuer and verifies ES256 and RS256 tokens', async () => {
    const local = await startTestIdp();
    try {
      const key = await local.createKey('ES256');
      const rsKey = await local.createKey('RS256');
      local.publish(key, rsKey);
      const { strategy } = await setupBearer({ issuer: local.issuer });
      expect(local.counts.discovery).toBe(0);
      expect((await strategy.authenticate(bearerRequest(await local.mint(key)))).kind).toBe('ok');
      expect((await strategy.authenticate(bearerRequest(await local.mint(rsKey)))).kind).toBe('ok');
      expect(local.counts).toEqual({ discovery: 1, jwks: 1 });
      expect(failed(await strategy.authenticate(bearerRequest(await local.mint(key, { iss: idp.issuer }))))).toBe('wrong issuer');
    } finally {
      await local.close();
    }
  });

  it('refuses a discovery document that names another issuer, and retries discovery later', async () => {
    const local = await startTestIdp();
    try {
      const key = await local.createKey('ES256');
      local.publish(key);
      local.discoveryOverride = { issuer: 'https://evil.example.com', jwks_uri: local.jwksUri };
      const { strategy, logs } = await setupBearer({ issuer: local.issuer });
      const token = await local.mint(key);
      expect(failed(await strategy.authenticate(bearerRequest(token)))).toBe('key source unavailable');
      expect(failed(await strategy.authenticate(bearerRequest(token)))).toBe('key source unavailable');
      expect(local.counts.discovery).toBe(1);
      expect(logs.find((l) => l.level === 'warn')?.fields?.error).toContain('different issuer');

      local.discoveryOverride = undefined;
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 6_000);
      expect((await strategy.authenticate(bearerRequest(await local.mint(key)))).kind).toBe('ok');
      expect(local.counts.discovery).toBe(2);
    } finally {
      await local.close();
    }
  });
});

describe('bearer: HS256 with a shared secret', () => {
  it('accepts a token signed with the secret and refuses one signed with another', async () => {
    const { strategy } = await setupBearer({ secret: HS_SECRET, audience: 'mcp' });
    expect((await strategy.authenticate(bearerRequest(await mintHmac(HS_SECRET, { aud: 'mcp', roles: 'ops admin' })))).kind).toBe('ok');
    const other = await mintHmac('another-shared-secret-of-32-bytes', { aud: 'mcp' });
    expect(failed(await strategy.authenticate(bearerRequest(other)))).toBe('bad signature');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }))))).toBe('algorithm not allowed');
  });

  it('reads space-separated roles', async () => {
    const { strategy } = await setupBearer({ secret: HS_SECRET });
    const outcome = await strategy.authenticate(bearerRequest(await mintHmac(HS_SECRET, { roles: 'ops  admin' })));
    expect(outcome.kind === 'ok' && outcome.identity.roles).toEqual(['ops', 'admin']);
  });

  it('accepts HS512 with a 64-byte secret only', async () => {
    const long = 'x'.repeat(64);
    const { strategy } = await setupBearer({ secret: long, algorithms: ['HS512'] });
    expect((await strategy.authenticate(bearerRequest(await mintHmac(long, {}, 'HS512')))).kind).toBe('ok');
    expect(failed(await strategy.authenticate(bearerRequest(await mintHmac(long, {}, 'HS256'))))).toBe('algorithm not allowed');
    await expect(setupBearer({ secret: HS_SECRET, algorithms: ['HS512'] })).rejects.toThrow(/shorter than 64 bytes/);
  });
});

describe('bearer: token type and lifetime', () => {
  it('requireTyp refuses an ID token (typ JWT) and accepts at+jwt; without it any typ passes', async () => {
    const { strategy } = await jwks({ requireTyp: 'at+jwt' });
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }, 'JWT'))))).toBe('wrong typ');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }, 'application/at+jwt')))).kind).toBe('ok');
    expect((await (await jwks()).strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }, 'JWT')))).kind).toBe('ok');
  });

  it('maxTokenLifetimeSeconds refuses a token issued for longer, checked only after the signature', async () => {
    const { strategy } = await jwks({ maxTokenLifetimeSeconds: 600 });
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', iat: now(), exp: now() + 601 }))))).toBe('lifetime too long');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', iat: now(), exp: now() + 600 })))).kind).toBe('ok');
    const stranger = await idp.createKey('RS256', rsa.kid);
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(stranger, { aud: 'mcp', exp: now() + 86_400 }))))).toBe('bad signature');
  });
});

describe('bearer: roles claim', () => {
  it('follows a dotted path such as realm_access.roles', async () => {
    const { strategy } = await jwks({ rolesClaim: 'realm_access.roles' });
    const outcome = await strategy.authenticate(
      bearerRequest(await idp.mint(rsa, { aud: 'mcp', roles: ['ignored'], realm_access: { roles: ['viewer', 7, 'ops'] } })),
    );
    expect(outcome.kind === 'ok' && outcome.identity.roles).toEqual(['viewer', 'ops']);
  });

  it('prefers a claim whose own name has dots (namespaced claims)', async () => {
    const { strategy } = await jwks({ rolesClaim: 'https://example.com/roles' });
    const outcome = await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', 'https://example.com/roles': ['admin'] })));
    expect(outcome.kind === 'ok' && outcome.identity.roles).toEqual(['admin']);
  });

  it('gives no roles when the path is missing or not a list', async () => {
    const { strategy } = await jwks({ rolesClaim: 'realm_access.roles' });
    for (const claims of [{}, { realm_access: 'admin' }, { realm_access: { roles: { admin: true } } }]) {
      const outcome = await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp', ...claims })));
      expect(outcome.kind === 'ok' && outcome.identity.roles).toEqual([]);
    }
  });
});

describe('bearer: OAuth 2.1 resource-server mode', () => {
  const resource = 'https://mcp.example.com/mcp';

  it("requires the token's aud to include the resource (RFC 8707)", async () => {
    const { strategy } = await setupBearer({ jwksUri: idp.jwksUri, issuer: idp.issuer, resource });
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: resource })))).kind).toBe('ok');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: ['https://other.example.com', resource] })))).kind).toBe('ok');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'https://other.example.com/mcp' }))))).toBe('wrong audience');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: undefined }))))).toBe('wrong audience');
  });

  it('requires the resource even when a different audience is configured', async () => {
    const { strategy } = await setupBearer({ jwksUri: idp.jwksUri, issuer: idp.issuer, resource, audience: 'mcp' });
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: 'mcp' }))))).toBe('wrong audience');
    expect(failed(await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: resource }))))).toBe('wrong audience');
    expect((await strategy.authenticate(bearerRequest(await idp.mint(rsa, { aud: ['mcp', resource] })))).kind).toBe('ok');
  });

  it('challenges with the metadata URL and serves the RFC 9728 document', async () => {
    const { strategy } = await setupBearer({ jwksUri: idp.jwksUri, issuer: idp.issuer, resource, scopesSupported: ['tools:read', 'tools:call'] });
    expect(strategy.challenge?.('missing')).toBe(
      'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="tools:read tools:call"',
    );
    expect(strategy.challenge?.('invalid')).toBe(
      'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="tools:read tools:call", error="invalid_token"',
    );
    const body = { resource, authorization_servers: [idp.issuer], scopes_supported: ['tools:read', 'tools:call'], bearer_methods_supported: ['header'] };
    expect(strategy.wellKnown?.()).toEqual([
      { path: '/.well-known/oauth-protected-resource/mcp', body },
      { path: '/.well-known/oauth-protected-resource', body },
    ]);
  });

  it('names a realm and serves nothing outside resource mode', async () => {
    const { strategy } = await jwks();
    expect(strategy.challenge?.('missing')).toBe('realm="cnmcp"');
    expect(strategy.challenge?.('invalid')).toBe('realm="cnmcp", error="invalid_token"');
    expect(strategy.wellKnown).toBeUndefined();
  });
});

describe('bearer: setup refuses unsafe or ambiguous configs', () => {
  it.each([
    ['no key source', {}, /no key source/],
    ['secret and JWKS', { secret: HS_SECRET, jwksUri: 'https://idp.example.com/jwks' }, /not both/],
    ['secret and issuer', { secret: HS_SECRET, issuer: 'https://idp.example.com' }, /not both/],
    ['HS with a JWKS', { jwksUri: 'https://idp.example.com/jwks', algorithms: ['RS256', 'HS256'] }, /HS256 needs a shared `secret`/],
    ['RS with a secret', { secret: HS_SECRET, algorithms: ['RS256'] }, /RS256 needs a public key/],
    ['a short secret', { secret: 'too-short-secret' }, /shorter than 32 bytes/],
    ['none', { secret: HS_SECRET, algorithms: ['none'] }, /"none" is not supported/],
    ['resource without authorization servers', { secret: HS_SECRET, resource: 'https://mcp.example.com/mcp' }, /authorizationServers/],
    [
      'resource with a fragment',
      { jwksUri: 'https://idp.example.com/jwks', issuer: 'https://idp.example.com', resource: 'https://mcp.example.com/mcp#x' },
      /fragment/,
    ],
  ])('%s', async (_name, config, message) => {
    // Options the schema would refuse (an unknown alg) reach setup here on purpose: setup checks them again.
    await expect(setupBearer(config as Parameters<typeof setupBearer>[0])).rejects.toThrow(message);
  });

  it('never names the secret in an error', async () => {
    const error = await setupBearer({ secret: 'short-but-secret', jwksUri: 'https://idp.example.com/jwks' }).catch((e: Error) => e);
    expect(String(error)).not.toContain('short-but-secret');
  });

  it('warns when keys come over plain http from a non-loopback host', async () => {
    const { logs } = await setupBearer({ jwksUri: 'http://idp.internal.example.com/jwks' });
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.fields?.url)).toEqual(['http://idp.internal.example.com']);
    const loopback = await setupBearer({ jwksUri: idp.jwksUri });
    expect(loopback.logs).toEqual([]);
  });
});
