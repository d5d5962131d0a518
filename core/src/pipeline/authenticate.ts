import type { AuthRequest, AuthStrategy } from '../plugin/ports/auth-strategy.js';
import type { Identity } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import { stop, type Verdict } from './verdict.js';

export interface NamedStrategy {
  readonly id: string;
  readonly port: AuthStrategy;
}

export type AuthenticateStage = (request: AuthRequest) => Promise<Verdict<Identity>>;

/**
 * Runs the strategies in config order. The first that recognises its credential decides: a failure is final,
 * never a fall-through to a weaker scheme. No credential at all is a 401 that names every configured scheme.
 * Client-facing messages say nothing about which part was wrong.
 */
export function compileAuthenticate(strategies: readonly NamedStrategy[], logger: Logger): AuthenticateStage | undefined {
  if (strategies.length === 0) return undefined;
  const challengeOf = (port: AuthStrategy, why: 'missing' | 'invalid') => {
    const params = port.challenge?.(why);
    return params ? `${port.scheme} ${params}` : port.scheme;
  };
  // A missing credential is answered with every scheme; a rejected one with the rejecting scheme's challenge. One
  // header line per scheme: browsers (Chromium) give up on a Basic challenge that shares its line with another scheme.
  const missing = strategies.map(({ port }) => challengeOf(port, 'missing'));
  return async (request) => {
    for (const { id, port } of strategies) {
      let outcome;
      try {
        outcome = await port.authenticate(request);
      } catch (error) {
        // A strategy that cannot decide denies (fail closed).
        logger.error('auth strategy failed', { strategy: id, error: (error as Error).message });
        outcome = { kind: 'fail' as const, reason: 'strategy error' };
      }
      if (outcome.kind === 'none') continue;
      if (outcome.kind === 'ok') return { continue: true, value: outcome.identity };
      return stop('UNAUTHENTICATED', `authentication failed (${port.scheme})`, {
        headers: { 'WWW-Authenticate': challengeOf(port, 'invalid') },
        details: { strategy: id, scheme: port.scheme, reason: outcome.reason, ...(outcome.subject ? { subject: outcome.subject } : {}) },
      });
    }
    return stop('UNAUTHENTICATED', `authentication required: ${strategies.map((s) => s.port.scheme).join(', ')}`, {
      headers: { 'WWW-Authenticate': missing },
      details: { reason: 'no credential' },
    });
  };
}
