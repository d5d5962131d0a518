import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '@cnmcp/core/plugin';

interface Window {
  count: number;
  /** Epoch ms when the window ends and the count starts over. */
  resetAt: number;
  /** Epoch ms until which the key is refused outright (rules with blockDurationSeconds). */
  blockedUntil: number;
}

/**
 * The example store: fixed windows counted in memory, for one server process. Replace the Map with a shared
 * store (Redis, a database) to count across replicas; keep the contract: `consume` takes a point atomically, and a
 * store that cannot answer rejects, which the kernel treats as "refuse".
 */
export function createFixedWindowStore(options: { maxKeys: number; now?: () => number }): RateLimitStore {
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  // Rules carry their own name: one key under two rules is two counts.
  const keyOf = (key: string, rule: RateLimitRule) => `${rule.name}\u0000${key}`;

  const current = (id: string, t: number): Window | undefined => {
    const window = windows.get(id);
    if (window && window.resetAt > t) return window;
    if (window && window.blockedUntil > t) return window;
    windows.delete(id);
    return undefined;
  };

  const decide = (window: Window | undefined, rule: RateLimitRule, t: number): RateLimitDecision => {
    const count = window?.count ?? 0;
    const resetAt = window?.resetAt ?? t + rule.durationSeconds * 1000;
    if (window && window.blockedUntil > t) return { allowed: false, retryAfterMs: window.blockedUntil - t, resetMs: window.blockedUntil - t };
    if (count > rule.points) return { allowed: false, retryAfterMs: resetAt - t, resetMs: resetAt - t };
    return { allowed: true, remaining: rule.points - count, resetMs: resetAt - t };
  };

  const sweep = (t: number) => {
    for (const [id, window] of windows) if (window.resetAt <= t && window.blockedUntil <= t) windows.delete(id);
  };

  return {
    async consume(key, rule) {
      const t = now();
      const id = keyOf(key, rule);
      let window = current(id, t);
      if (!window) {
        if (windows.size >= options.maxKeys) sweep(t);
        // Still full: refuse the newcomer rather than grow without bound or forget someone's count.
        if (windows.size >= options.maxKeys) return { allowed: false, retryAfterMs: 1000, resetMs: 1000 };
        window = { count: 0, resetAt: t + rule.durationSeconds * 1000, blockedUntil: 0 };
        windows.set(id, window);
      }
      if (window.blockedUntil <= t) window.count += 1;
      if (window.count > rule.points && rule.blockDurationSeconds && window.blockedUntil <= t) window.blockedUntil = t + rule.blockDurationSeconds * 1000;
      return decide(window, rule, t);
    },
    async peek(key, rule) {
      const t = now();
      return decide(current(keyOf(key, rule), t), rule, t);
    },
    async reset(key, rule) {
      windows.delete(keyOf(key, rule));
    },
    async close() {
      windows.clear();
    },
  };
}
