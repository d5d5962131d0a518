import type { RateLimitDecision, RateLimitRule } from '@cnmcp/core/plugin';
import { RateLimiterRes } from 'rate-limiter-flexible';

// rate-limiter-flexible reports -1 ms for a record that never expires; the port speaks in non-negative times.
const msLeft = (res: RateLimiterRes) => Math.max(0, res.msBeforeNext);

/** A point was taken: allowed, with what is left in the window. */
export function allowedDecision(res: RateLimiterRes): RateLimitDecision {
  return { allowed: true, remaining: Math.max(0, res.remainingPoints), resetMs: msLeft(res) };
}

/** Exhausted or blocked: not allowed until the window (or the block) ends. */
export function deniedDecision(res: RateLimiterRes): RateLimitDecision {
  const ms = msLeft(res);
  return { allowed: false, retryAfterMs: ms, resetMs: ms };
}

/**
 * rate-limiter-flexible rejects `consume` with a RateLimiterRes when the key is out of points. Anything else is
 * a store failure (Redis down, a bug) and is re-thrown, so the kernel fails closed instead of counting it as a
 * decision.
 */
export function decisionFromRejection(error: unknown): RateLimitDecision {
  if (error instanceof RateLimiterRes) return deniedDecision(error);
  throw error;
}

/**
 * The decision `get` implies without taking a point: nothing recorded is a fresh window; a key that has used all
 * its points (or was blocked, which records more than the points) is not allowed.
 */
export function peekDecision(res: RateLimiterRes | null, rule: RateLimitRule): RateLimitDecision {
  if (res === null) return { allowed: true, remaining: rule.points, resetMs: 0 };
  if (res.consumedPoints >= rule.points) return deniedDecision(res);
  return { allowed: true, remaining: rule.points - res.consumedPoints, resetMs: msLeft(res) };
}
