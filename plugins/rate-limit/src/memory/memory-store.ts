import { CnmcpError, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from '@cnmcp/core/plugin';
import { limiterOptions, ruleId, type LimiterOptions } from '../limiter-options.js';

/** One key's window: points taken and when the window (or the block) ends, in epoch ms. */
interface Window {
  consumed: number;
  endsAt: number;
}

/** One rule's counters, keyed by the kernel's opaque key. */
interface RuleCounters {
  readonly options: LimiterOptions;
  readonly windows: Map<string, Window>;
}

/** How often expired windows are forgotten, so keys seen once do not pile up. */
const SWEEP_MS = 60_000;

/**
 * In-process counters. Each server process counts on its own: behind a load balancer with N replicas a client
 * gets up to N times the limit, so use a shared store (redis) there.
 *
 * The same fixed windows as the redis store (rate-limiter-flexible's semantics), counted synchronously: a decision
 * is a plain value, not a promise, so three counters per call cost three map look-ups. Invalid rules and a closed
 * store still reject, so the kernel fails closed.
 */
export function createMemoryStore(): RateLimitStore {
  const rules = new Map<string, RuleCounters>();
  // Rules are built once at start-up and passed by reference on every call: their checked options are kept per object.
  const byObject = new WeakMap<RateLimitRule, RuleCounters>();
  let closed = false;

  function countersFor(rule: RateLimitRule): RuleCounters {
    if (closed) throw new CnmcpError('RATE_LIMIT_STORE_CLOSED', 'the rate-limit store is closed');
    let counters = byObject.get(rule);
    if (counters) return counters;
    const id = ruleId(rule);
    counters = rules.get(id);
    if (!counters) rules.set(id, (counters = { options: limiterOptions(rule), windows: new Map() }));
    byObject.set(rule, counters);
    return counters;
  }

  /** The live window of `key`, or undefined when none was opened or it has ended. */
  function liveWindow(counters: RuleCounters, key: string, now: number): Window | undefined {
    const window = counters.windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const { windows } of rules.values()) for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }, SWEEP_MS).unref();

  return {
    consume(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision> {
      let counters: RuleCounters;
      try {
        counters = countersFor(rule);
      } catch (error) {
        return Promise.reject(error);
      }
      const { points, duration, blockDuration } = counters.options;
      const now = Date.now();
      let window = liveWindow(counters, key, now);
      if (!window) counters.windows.set(key, (window = { consumed: 0, endsAt: now + duration * 1000 }));
      window.consumed++;
      if (window.consumed > points) return denied(window.endsAt - now);
      // The call that takes the last point starts the block, so a caller that peeks before each attempt is locked out too.
      if (window.consumed === points && blockDuration > 0) {
        window.consumed = points + 1;
        window.endsAt = now + blockDuration * 1000;
      }
      return { allowed: true, remaining: Math.max(0, points - window.consumed), resetMs: window.endsAt - now };
    },

    peek(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision> {
      let counters: RuleCounters;
      try {
        counters = countersFor(rule);
      } catch (error) {
        return Promise.reject(error);
      }
      const now = Date.now();
      const window = liveWindow(counters, key, now);
      if (!window) return { allowed: true, remaining: counters.options.points, resetMs: 0 };
      if (window.consumed >= counters.options.points) return denied(window.endsAt - now);
      return { allowed: true, remaining: counters.options.points - window.consumed, resetMs: window.endsAt - now };
    },

    async reset(key: string, rule: RateLimitRule): Promise<void> {
      countersFor(rule).windows.delete(key);
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(sweep);
      rules.clear();
    },
  };
}

const denied = (ms: number): RateLimitDecision => ({ allowed: false, retryAfterMs: ms, resetMs: ms });
