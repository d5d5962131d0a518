import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { StoreHealth } from './store-health.js';
import { stop, type Stop } from './verdict.js';

/** A limit lets the request on with informational `RateLimit-*` headers, or stops it. */
export type LimitVerdict = { readonly continue: true; readonly headers?: Readonly<Record<string, string>> } | Stop;
/** Synchronous when the store answers synchronously (the memory store): no promise per counter. */
export type LimitStage = (key: string) => LimitVerdict | Promise<LimitVerdict>;

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
  const limitHeader = String(rule.points);

  const storeFailed = (error: unknown): LimitVerdict => {
    if (!health.failed(error, rule.name)) return { continue: true };
    return stop('RATE_LIMITED', 'rate limit unavailable, try again later', {
      headers: { 'Retry-After': '1' },
      details: { rule: rule.name, scope: rule.scope, storeError: true },
    });
  };

  const verdictOf = (decision: RateLimitDecision): LimitVerdict => {
    health.ok();
    if (decision.allowed) {
      return {
        continue: true,
        headers: { 'RateLimit-Limit': limitHeader, 'RateLimit-Remaining': String(decision.remaining), 'RateLimit-Reset': String(seconds(decision.resetMs)) },
      };
    }
    const retryAfter = String(Math.max(1, seconds(decision.retryAfterMs)));
    return stop('RATE_LIMITED', `rate limit exceeded (${rule.name}); retry after ${retryAfter}s`, {
      headers: { 'Retry-After': retryAfter, 'RateLimit-Limit': limitHeader, 'RateLimit-Remaining': '0', 'RateLimit-Reset': retryAfter },
      details: { rule: rule.name, scope: rule.scope, limit: rule.points, windowSeconds: rule.durationSeconds },
    });
  };

  /** Out of points: draw from the burst window; out of both, the client may go again as soon as either window ends. */
  const withBurst = async (key: string, decision: RateLimitDecision): Promise<LimitVerdict> => {
    if (decision.allowed) return verdictOf(decision);
    let extra: RateLimitDecision;
    try {
      extra = await store.consume(`${burst!.name}:${key}`, burst!);
    } catch (error) {
      return storeFailed(error);
    }
    return verdictOf(extra.allowed ? extra : { allowed: false, retryAfterMs: Math.min(decision.retryAfterMs, extra.retryAfterMs), resetMs: decision.resetMs });
  };

  const decide = (key: string, decision: RateLimitDecision) => (burst && !decision.allowed ? withBurst(key, decision) : verdictOf(decision));

  return (key) => {
    let pending: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      pending = store.consume(`${rule.name}:${key}`, base);
    } catch (error) {
      return storeFailed(error);
    }
    return pending instanceof Promise ? pending.then((decision) => decide(key, decision), storeFailed) : decide(key, pending);
  };
}

/**
 * Runs `limits` in order, `times` times each round (one point per message), stopping at the first refusal; the
 * verdict of the last one passed carries the headers. Stays synchronous while every counter answers synchronously.
 */
export function countAll(limits: readonly LimitStage[], key: string, times: number): LimitVerdict | Promise<LimitVerdict> {
  let verdict: LimitVerdict = { continue: true };
  const total = limits.length * times;
  for (let i = 0; i < total; i++) {
    const next = limits[i % limits.length]!(key);
    if (next instanceof Promise) return next.then((v) => (v.continue ? continueFrom(limits, key, total, i + 1, v) : v));
    if (!next.continue) return next;
    verdict = next;
  }
  return verdict;
}

async function continueFrom(limits: readonly LimitStage[], key: string, total: number, from: number, verdict: LimitVerdict): Promise<LimitVerdict> {
  for (let i = from; i < total; i++) {
    verdict = await limits[i % limits.length]!(key);
    if (!verdict.continue) return verdict;
  }
  return verdict;
}
