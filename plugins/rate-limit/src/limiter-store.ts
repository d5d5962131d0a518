import { CnmcpError, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from '@cnmcp/core/plugin';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { limiterOptions, ruleId, type LimiterOptions } from './limiter-options.js';
import { allowedDecision, decisionFromRejection, peekDecision } from './to-decision.js';

/** How a backend makes the limiter of one rule: `new RateLimiterMemory(options)`, later `new RateLimiterRedis(...)`. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/**
 * A RateLimitStore over any rate-limiter-flexible backend. Limiters are created on first use of a rule and kept,
 * one per distinct rule. Store failures propagate (the kernel then denies); only "out of points" is a decision.
 *
 * With `blockDurationSeconds`, the call that uses the last point also blocks the key for that long, so a lockout
 * ("5 failures, then 15 minutes") starts at the 5th failure even when callers `peek` before every attempt and
 * never reach a 6th consume.
 */
export function createLimiterStore(factory: LimiterFactory): RateLimitStore {
  const limiters = new Map<string, RateLimiterAbstract>();
  let closed = false;

  function limiterFor(rule: RateLimitRule): RateLimiterAbstract {
    if (closed) throw new CnmcpError('RATE_LIMIT_STORE_CLOSED', 'the rate-limit store is closed');
    const id = ruleId(rule);
    let limiter = limiters.get(id);
    if (!limiter) limiters.set(id, (limiter = factory(limiterOptions(rule))));
    return limiter;
  }

  return {
    async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const limiter = limiterFor(rule);
      let res;
      try {
        res = await limiter.consume(key, 1);
      } catch (error) {
        return decisionFromRejection(error);
      }
      if (res.remainingPoints <= 0 && limiter.blockDuration > 0) res = await limiter.block(key, limiter.blockDuration);
      return allowedDecision(res);
    },

    async peek(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      return peekDecision(await limiterFor(rule).get(key), rule);
    },

    async reset(key: string, rule: RateLimitRule): Promise<void> {
      await limiterFor(rule).delete(key);
    },

    async close(): Promise<void> {
      closed = true;
      limiters.clear();
    },
  };
}
