import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateBearerToken } from './generate-bearer-token.js';
import { generateSecret } from './generate-secret.js';

describe('generateBearerToken', () => {
  const signingKey = randomBytes(32);

  it('is a signed HS256 JWT with sub, iat, exp and a unique jti', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const a = await generateBearerToken({ signingKey, subject: 'ci-bot', ttlSeconds: 3600, roles: ['viewer'], keyId: 'jwt-signing-key#1', now });
    const b = await generateBearerToken({ signingKey, subject: 'ci-bot', ttlSeconds: 3600, now });
    const { payload, protectedHeader } = await jwtVerify(a.token, signingKey, { algorithms: ['HS256'], currentDate: now });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'jwt-signing-key#1' });
    expect(payload).toMatchObject({ sub: 'ci-bot', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 3600, roles: ['viewer'] });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((await jwtVerify(b.token, signingKey, { currentDate: now })).payload.jti).not.toBe(payload.jti);
    expect(a.expiresAt).toEqual(new Date(now.getTime() + 3_600_000));
    expect(decodeProtectedHeader(b.token).kid).toBeUndefined();
  });

  it('does not verify under another key, and refuses a short key', async () => {
    const { token } = await generateBearerToken({ signingKey, subject: 's', ttlSeconds: 60 });
    await expect(jwtVerify(token, randomBytes(32))).rejects.toThrow();
    await expect(generateBearerToken({ signingKey: randomBytes(16), subject: 's', ttlSeconds: 60 })).rejects.toThrow(/32 bytes/);
  });
});

describe('generateSecret', () => {
  it('is 32 random bytes as base64url by default, never repeating', () => {
    const values = new Set(Array.from({ length: 1000 }, () => generateSecret()));
    expect(values.size).toBe(1000);
    for (const v of values) expect(Buffer.from(v, 'base64url')).toHaveLength(32);
  });
});
