import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { StoreHealth } from './store-health.js';
import { stop, type Stop } from './verdict.js';

/** A limit lets the request on with informational `RateLimit-*` headers, or stops it. */
export type LimitVerdict = { readonly continue: true; readonly headers?: Readonly<Record<string, string>> } | Stop;
export type LimitStage = (key: string) => Promise<LimitVerdict>;

/** What a limit is keyed by (audit `details.scope`). */
export type LimitScope = 'ip' | 'identity' | 'tool';

export interface LimitRule extends RateLimitRule {
  readonly scope: LimitScope;
  /** Extra points once `points` are used up, counted in a window of their own. */
  readonly burst?: { readonly points: number; readonly durationSeconds: number };
}

export interface LimitDeps {
  readonly store: RateLimitStore | undefined;
  readonly health: StoreHealth;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * One rate-limit rule over the configured store. When its points are used up, the burst allowance (if any) is
 * drawn from before the request is refused. A store error follows `onStoreError` (default: deny).
 */
export function compileLimit(deps: LimitDeps, rule: LimitRule | undefined): LimitStage | undefined {
  const { store, health } = deps;
  if (!store || !rule) return undefined;
  const burst: RateLimitRule | undefined = rule.burst && { name: `${rule.name}:burst`, points: rule.burst.points, durationSeconds: rule.burst.durationSeconds };
  const base = { name: rule.name, points: rule.points, durationSeconds: rule.durationSeconds };
  return async (key) => {
    let decision: RateLimitDecision;
    try {
      decision = await store.consume(`${rule.name}:${key}`, base);
      if (!decision.allowed && burst) {
        const extra = await store.consume(`${burst.name}:${key}`, burst);
        // Out of both: the client may go again as soon as either window ends.
        decision = extra.allowed ? extra : { allowed: false, retryAfterMs: Math.min(decision.retryAfterMs, extra.retryAfterMs), resetMs: decision.resetMs };
      }
      health.ok();
    } catch (error) {
      if (!health.failed(error, rule.name)) return { continue: true };
      return stop('RATE_LIMITED', 'rate limit unavailable, try again later', {
        headers: { 'Retry-After': '1' },
        details: { rule: rule.name, scope: rule.scope, storeError: true },
      });
    }
    if (decision.allowed) {
      return {
        continue: true,
        headers: {
          'RateLimit-Limit': String(rule.points),
          'RateLimit-Remaining': String(decision.remaining),
          'RateLimit-Reset': String(seconds(decision.resetMs)),
        },
      };
    }
    const retryAfter = String(Math.max(1, seconds(decision.retryAfterMs)));
    return stop('RATE_LIMITED', `rate limit exceeded (${rule.name}); retry after ${retryAfter}s`, {
      headers: { 'Retry-After': retryAfter, 'RateLimit-Limit': String(rule.points), 'RateLimit-Remaining': '0', 'RateLimit-Reset': retryAfter },
      details: { rule: rule.name, scope: rule.scope, limit: rule.points, windowSeconds: rule.durationSeconds },
    });
  };
}
