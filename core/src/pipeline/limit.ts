import type { RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { Logger } from '../plugin/logger.js';
import { stop, type Verdict } from './verdict.js';

export type LimitStage = (key: string) => Promise<Verdict>;

/** One rate-limit rule over the configured store. A store error denies: limits fail closed. */
export function compileLimit(store: RateLimitStore | undefined, rule: RateLimitRule | undefined, logger: Logger): LimitStage | undefined {
  if (!store || !rule) return undefined;
  return async (key) => {
    let decision;
    try {
      decision = await store.consume(`${rule.name}:${key}`, rule);
    } catch (error) {
      logger.error('rate-limit store failed; denying', { rule: rule.name, error: (error as Error).message });
      return stop('RATE_LIMITED', 'rate limit unavailable, try again later', { headers: { 'Retry-After': '1' }, details: { rule: rule.name, storeError: true } });
    }
    if (decision.allowed) return { continue: true };
    const retryAfter = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    return stop('RATE_LIMITED', `rate limit exceeded (${rule.name}); retry after ${retryAfter}s`, { headers: { 'Retry-After': retryAfter }, details: { rule: rule.name } });
  };
}
