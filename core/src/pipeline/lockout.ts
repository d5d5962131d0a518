import type { RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { StoreHealth } from './store-health.js';
import { stop, type Verdict } from './verdict.js';

export interface LockoutSettings {
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutSettings = { attempts: 5, windowSeconds: 300, lockoutSeconds: 900 };

/** Brute-force protection around authentication, counted per client address and per claimed identity. */
export interface LockoutStage {
  /** Before authentication: refuses an address that is locked out. */
  check(ip: string): Promise<Verdict>;
  /** After a failed authentication: counts it; resolves true when this failure started a lockout. */
  failed(ip: string, subject: string | undefined): Promise<boolean>;
  /** After a success: refuses a locked-out identity (even with the right credential), else clears its count. */
  succeeded(identityId: string): Promise<Verdict>;
}

/**
 * Lockouts share the limits' store and its `onStoreError` policy: by default a store that errors denies.
 */
export function compileLockout(store: RateLimitStore | undefined, settings: LockoutSettings, health: StoreHealth): LockoutStage | undefined {
  if (!store) return undefined;
  const rule: RateLimitRule = {
    name: 'auth-failures',
    points: settings.attempts,
    durationSeconds: settings.windowSeconds,
    blockDurationSeconds: settings.lockoutSeconds,
  };
  const locked = (retryAfterMs: number) => {
    const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    return stop('RATE_LIMITED', `too many failed authentication attempts; retry after ${seconds}s`, {
      headers: { 'Retry-After': seconds },
      details: { lockout: true },
    });
  };
  const storeDown = (error: unknown): Verdict => {
    if (!health.failed(error, rule.name)) return { continue: true };
    return stop('RATE_LIMITED', 'authentication temporarily unavailable, try again later', { headers: { 'Retry-After': '1' }, details: { storeError: true } });
  };
  return {
    async check(ip) {
      try {
        const decision = await store.peek(`ip:${ip}`, rule);
        health.ok();
        return decision.allowed ? { continue: true } : locked(decision.retryAfterMs);
      } catch (error) {
        return storeDown(error);
      }
    },
    async failed(ip, subject) {
      try {
        const keys = [`ip:${ip}`, ...(subject ? [`id:${subject}`] : [])];
        const decisions = await Promise.all(keys.map((key) => store.consume(key, rule)));
        health.ok();
        // The failure that uses the last allowed attempt starts the lockout (the next attempt is refused by check()).
        return decisions.some((d) => !d.allowed || d.remaining === 0);
      } catch (error) {
        // The failure itself is refused already (401); only the count is lost.
        health.failed(error, rule.name);
        return false;
      }
    },
    async succeeded(identityId) {
      try {
        const decision = await store.peek(`id:${identityId}`, rule);
        if (!decision.allowed) return locked(decision.retryAfterMs);
        await store.reset(`id:${identityId}`, rule);
        health.ok();
        return { continue: true };
      } catch (error) {
        return storeDown(error);
      }
    },
  };
}
