import { RateLimiterRes } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { allowedDecision, decisionFromRejection, peekDecision } from './to-decision.js';

const rule = { name: 'r', points: 5, durationSeconds: 60 };

describe('rate-limiter-flexible results as decisions', () => {
  it('maps a resolved result to allowed and a rejected RateLimiterRes to not allowed', () => {
    expect(allowedDecision(new RateLimiterRes(4, 59_000, 1))).toEqual({ allowed: true, remaining: 4, resetMs: 59_000 });
    expect(decisionFromRejection(new RateLimiterRes(0, 1_500, 6))).toEqual({ allowed: false, retryAfterMs: 1_500, resetMs: 1_500 });
  });

  it('re-throws anything else: a store failure is not a decision', () => {
    const failure = new Error('connection refused');
    expect(() => decisionFromRejection(failure)).toThrow(failure);
    expect(() => decisionFromRejection({ msBeforeNext: 10, remainingPoints: 0 })).toThrow();
  });

  it('peeks: nothing recorded is a fresh window, all points used is not allowed', () => {
    expect(peekDecision(null, rule)).toEqual({ allowed: true, remaining: 5, resetMs: 0 });
    expect(peekDecision(new RateLimiterRes(0, 30_000, 4), rule)).toEqual({ allowed: true, remaining: 1, resetMs: 30_000 });
    expect(peekDecision(new RateLimiterRes(0, 30_000, 5), rule)).toEqual({ allowed: false, retryAfterMs: 30_000, resetMs: 30_000 });
    expect(peekDecision(new RateLimiterRes(0, -1, 9), rule)).toEqual({ allowed: false, retryAfterMs: 0, resetMs: 0 });
  });
});
