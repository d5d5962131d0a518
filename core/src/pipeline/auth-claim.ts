import type { AuthRequest } from '../plugin/ports/auth-strategy.js';
import type { Logger } from '../plugin/logger.js';
import type { NamedStrategy } from './authenticate.js';

/** Who a request says it is, before anything is verified: the lockout's per-subject key. */
export interface SubjectClaim {
  /** The strategy that read the claim, as `kind/name` (`auth/basic`). */
  readonly strategy: string;
  readonly subject: string;
}

export type ClaimReader = (request: AuthRequest) => SubjectClaim | undefined;

/**
 * The first claim, in config order, of a strategy that names the subject a wrong credential would be a guess at
 * (`AuthStrategy.claimedSubject`). Strategies without one (API keys, tokens, certificates) are skipped: their
 * failures count against the source address only.
 */
export function compileClaimReader(strategies: readonly NamedStrategy[], logger: Logger): ClaimReader {
  const readers = strategies.filter(({ port }) => port.claimedSubject !== undefined);
  return (request) => {
    for (const { id, port } of readers) {
      let subject: string | undefined;
      try {
        subject = port.claimedSubject!(request);
      } catch (error) {
        // authenticate() will meet the same credential and refuse it; the source still counts the failure.
        logger.error('auth strategy failed to read the claimed subject', { strategy: id, error: (error as Error).message });
        continue;
      }
      if (subject !== undefined && subject !== '') return { strategy: id, subject };
    }
    return undefined;
  };
}
