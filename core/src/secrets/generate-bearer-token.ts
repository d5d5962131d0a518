import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

export interface BearerTokenOptions {
  /** The HS256 key, at least 32 bytes (RFC 7518 §3.2). */
  readonly signingKey: Uint8Array;
  readonly subject: string;
  readonly ttlSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly roles?: readonly string[];
  /** Names the signing key version, so a verifier holding several live versions picks the right one. */
  readonly keyId?: string;
  readonly now?: Date;
}

export const DEFAULT_BEARER_TTL_SECONDS = 86_400;

/**
 * A real signed JWT (HS256) with `sub`, `iat`, `exp` and a random `jti`, verifiable by the bearer strategy
 * configured with the same secret. Returns the token and its expiry (for the stored record).
 *
 * @example const { token } = await generateBearerToken({ signingKey, subject: 'ci-bot', ttlSeconds: 3600 });
 */
export async function generateBearerToken(options: BearerTokenOptions): Promise<{ token: string; expiresAt: Date }> {
  if (options.signingKey.byteLength < 32) throw new RangeError('an HS256 signing key needs at least 32 bytes');
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1) throw new RangeError('ttlSeconds must be a positive integer');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = iat + options.ttlSeconds;
  let jwt = new SignJWT(options.roles ? { roles: [...options.roles] } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}) })
    .setSubject(options.subject)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID());
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return { token: await jwt.sign(options.signingKey), expiresAt: new Date(exp * 1000) };
}
