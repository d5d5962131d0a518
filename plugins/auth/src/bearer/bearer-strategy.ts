import type { AuthOutcome, AuthRequest, AuthStrategy, Logger } from '@cnmcp/core/plugin';
import { identityFromClaims } from './claims-identity.js';
import type { BearerSettings } from './config-schema.js';
import type { VerificationKey } from './key-source.js';
import { challengeParams, metadataDocuments } from './resource-metadata.js';
import { hasJwtStructure } from './token-structure.js';
import { verifyToken } from './verify-token.js';

// RFC 6750 §2.1: `Bearer` (any case), one or more spaces, the token. Only the header is read: never the query.
const BEARER = /^bearer(?: +|$)/i;

/**
 * The `Bearer` auth strategy: structure gate, size limit, then full JWT verification, then claims -> identity.
 * No per-request state; the token appears in no reason, log line or identity.
 */
export function createBearerStrategy(settings: BearerSettings, key: VerificationKey, logger: Logger): AuthStrategy {
  const fail = (reason: string): AuthOutcome => ({ kind: 'fail', reason });
  return {
    scheme: 'Bearer',

    async authenticate(request: AuthRequest): Promise<AuthOutcome> {
      const header = request.headers.authorization;
      const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
      const value = values.find((v) => BEARER.test(v));
      if (value === undefined) return { kind: 'none' };
      // Two Authorization headers are ambiguous: refuse rather than pick one.
      if (values.length > 1) return fail('malformed');
      const scheme = BEARER.exec(value)!;
      const token = value.slice(scheme[0].length);
      if (!hasJwtStructure(token)) return fail('malformed');
      // After the structure check the token is ASCII, so its length is its size in bytes.
      if (token.length > settings.maxTokenBytes) return fail('token too large');

      const verified = await verifyToken(token, key, settings);
      if (verified.kind === 'fail') {
        if (verified.unavailable) logger.warn('bearer keys unavailable; request refused', { error: verified.error?.message });
        return fail(verified.reason);
      }
      return identityFromClaims(verified.claims, settings.rolesClaim);
    },

    challenge: (why) => challengeParams(why, settings.resource),

    ...(settings.resource ? { wellKnown: () => metadataDocuments(settings.resource!) } : {}),
  };
}
