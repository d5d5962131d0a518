import { createHash } from 'node:crypto';
import type { AuthRequest } from '../plugin/ports/auth-strategy.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { ClaimReader, SubjectClaim } from './auth-claim.js';
import type { StoreHealth } from './store-health.js';
import { stop, type Verdict } from './verdict.js';

export type { SubjectClaim } from './auth-claim.js';

export interface LockoutSettings {
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutSettings = { attempts: 5, windowSeconds: 300, lockoutSeconds: 900 };

/** What a failure locked: the source address, the claimed subject, or both. */
export type LockoutScope = 'source' | 'subject';

/**
 * Brute-force protection around authentication. Failures are counted per source address and per
 * (strategy, claimed subject); a success clears neither count, so guesses interleaved with the real user's
 * traffic still add up (failures age out with the window instead).
 */
export interface LockoutStage {
  /** Who the request claims to be, read from its headers (nothing verified); undefined when nothing names a subject. */
  claim(request: AuthRequest): SubjectClaim | undefined;
  /**
   * Before any credential is checked: refuses a locked source or a locked claimed subject. The answer (status,
   * body, headers) is the same whatever credential came with it, so a locked subject is no password oracle.
   */
  check(claim: SubjectClaim | undefined, ip: string): Verdict | Promise<Verdict>;
  /**
   * After a rejected credential: counts it against the source and, given the claim of the strategy that rejected
   * it, against that subject. Resolves to what this failure locked (empty: nothing).
   */
  failed(claim: SubjectClaim | undefined, ip: string): Promise<readonly LockoutScope[]>;
}

const sourceKey = (ip: string) => `ip:${ip}`;
// Hashed: a claimed username is attacker-chosen (up to a header's size) and need not sit in Redis in clear.
const subjectKey = ({ strategy, subject }: SubjectClaim) => `subject:${createHash('sha256').update(`${strategy}\0${subject}`).digest('base64url')}`;

// The failure that uses the last allowed attempt starts the lockout (the next attempt is refused by check()).
const spent = (decision: RateLimitDecision) => !decision.allowed || decision.remaining === 0;

/**
 * Lockouts share the limits' store and its `onStoreError` policy: by default a store that errors denies.
 */
export function compileLockout(
  store: RateLimitStore | undefined,
  settings: LockoutSettings,
  health: StoreHealth,
  readClaim: ClaimReader,
): LockoutStage | undefined {
  if (!store) return undefined;
  const rule: RateLimitRule = {
    name: 'auth-failures',
    points: settings.attempts,
    durationSeconds: settings.windowSeconds,
    blockDurationSeconds: settings.lockoutSeconds,
  };
  // The scope and subject go to the audit record only: the client sees one answer for every lockout.
  const locked = (retryAfterMs: number, details: Record<string, unknown>) => {
    const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    return stop('RATE_LIMITED', `too many failed authentication attempts; retry after ${seconds}s`, {
      headers: { 'Retry-After': seconds },
      details: { lockout: true, ...details },
    });
  };
  const storeDown = (error: unknown): Verdict => {
    if (!health.failed(error, rule.name)) return { continue: true };
    return stop('RATE_LIMITED', 'authentication temporarily unavailable, try again later', { headers: { 'Retry-After': '1' }, details: { storeError: true } });
  };
  return {
    claim: readClaim,
    // Synchronous when the store answers synchronously (memory): this runs before every authenticated request.
    check(claim, ip) {
      const decide = (source: RateLimitDecision, subject: RateLimitDecision | undefined): Verdict => {
        health.ok();
        const scopes: LockoutScope[] = [];
        let retryAfterMs = 0;
        for (const [scope, decision] of [
          ['source', source],
          ['subject', subject],
        ] as const) {
          if (!decision || decision.allowed) continue;
          scopes.push(scope);
          retryAfterMs = Math.max(retryAfterMs, decision.retryAfterMs);
        }
        if (scopes.length === 0) return { continue: true };
        return locked(retryAfterMs, {
          scope: scopes.join('+'),
          ...(claim && scopes.includes('subject') ? { strategy: claim.strategy, subject: claim.subject } : {}),
        });
      };
      try {
        const source = store.peek(sourceKey(ip), rule);
        const subject = claim && store.peek(subjectKey(claim), rule);
        if (!(source instanceof Promise) && !(subject instanceof Promise)) return decide(source, subject);
        return Promise.all([source, subject]).then(([s, c]) => decide(s, c), storeDown);
      } catch (error) {
        return storeDown(error);
      }
    },
    async failed(claim, ip) {
      const keyed: [LockoutScope, string][] = [['source', sourceKey(ip)], ...(claim ? [['subject', subjectKey(claim)] as [LockoutScope, string]] : [])];
      try {
        const decisions = await Promise.all(keyed.map(([, key]) => store.consume(key, rule)));
        health.ok();
        return keyed.filter((_, i) => spent(decisions[i]!)).map(([scope]) => scope);
      } catch (error) {
        // The failure itself is refused already (401); only the count is lost.
        health.failed(error, rule.name);
        return [];
      }
    },
  };
}
