import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { BearerSettings } from './config-schema.js';
import type { VerificationKey } from './key-source.js';
import { lifetimeExceeds } from './token-lifetime.js';

export type VerifyOutcome =
  | { readonly kind: 'ok'; readonly claims: JWTPayload }
  /** `unavailable`: the key source could not answer (discovery or JWKS fetch failed), not a bad token. */
  | { readonly kind: 'fail'; readonly reason: string; readonly unavailable?: true; readonly error?: Error };

/**
 * Verifies signature and claims with jose: the algorithm allowlist, `exp` required, `nbf`, `iss`, `aud`, `typ`
 * (`requireTyp`), with the configured clock tolerance; in resource-server mode `aud` must also name the resource
 * (RFC 8707); then the lifetime (`maxTokenLifetimeSeconds`), which jose has no option for.
 * Reasons are short and fixed; none repeats the token or a claim value.
 */
export async function verifyToken(token: string, key: VerificationKey, settings: BearerSettings): Promise<VerifyOutcome> {
  let claims: JWTPayload;
  try {
    // Two calls so TypeScript picks jose's overload for each key kind; the options are the same.
    const options = {
      algorithms: [...settings.algorithms],
      requiredClaims: ['exp'],
      clockTolerance: settings.clockToleranceSeconds,
      ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
      ...(settings.audience !== undefined ? { audience: typeof settings.audience === 'string' ? settings.audience : [...settings.audience] } : {}),
      ...(settings.requireTyp !== undefined ? { typ: settings.requireTyp } : {}),
    };
    ({ payload: claims } = key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
  } catch (error) {
    return failureOf(error);
  }
  const resource = settings.resource?.resource;
  if (resource !== undefined && !audiences(claims.aud).includes(resource)) return { kind: 'fail', reason: 'wrong audience' };
  if (settings.maxTokenLifetimeSeconds !== undefined && lifetimeExceeds(claims, settings.maxTokenLifetimeSeconds, settings.clockToleranceSeconds)) {
    return { kind: 'fail', reason: 'lifetime too long' };
  }
  return { kind: 'ok', claims };
}

const audiences = (aud: unknown): readonly unknown[] => (Array.isArray(aud) ? aud : [aud]);

const CLAIM_REASONS: Readonly<Record<string, string>> = {
  iss: 'wrong issuer',
  aud: 'wrong audience',
  nbf: 'not yet valid',
  exp: 'missing exp',
  typ: 'wrong typ',
};

function failureOf(error: unknown): VerifyOutcome {
  if (error instanceof errors.JWTExpired) return { kind: 'fail', reason: 'expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    return { kind: 'fail', reason: CLAIM_REASONS[error.claim] ?? `invalid ${error.claim.replace(/[^a-z_]/gi, '').slice(0, 32)} claim` };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { kind: 'fail', reason: 'algorithm not allowed' };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { kind: 'fail', reason: 'bad signature' };
  if (error instanceof errors.JWKSNoMatchingKey) return { kind: 'fail', reason: 'unknown key' };
  if (error instanceof errors.JWKSMultipleMatchingKeys) return { kind: 'fail', reason: 'ambiguous key' };
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return { kind: 'fail', reason: 'malformed' };
  if (error instanceof errors.JOSENotSupported) return { kind: 'fail', reason: 'unsupported token' };
  // A timeout, a refused connection, a bad JWKS or discovery document: the token may be fine, the keys are not here.
  return { kind: 'fail', reason: 'key source unavailable', unavailable: true, error: error instanceof Error ? error : new Error(String(error)) };
}
