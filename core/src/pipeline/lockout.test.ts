import { silentLogger } from '../testing/start-test-kernel.js';
import { describe, expect, it } from 'vitest';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import { compileLockout } from './lockout.js';
import { createStoreHealth } from './store-health.js';
import { metrics } from '@opentelemetry/api';

const health = (policy: 'deny' | 'allow' = 'deny') => createStoreHealth(policy, silentLogger, metrics.getMeter('test'));

// An in-memory store double with the port's semantics (no windows: counts only).
function countingStore(): RateLimitStore & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const decide = (used: number, rule: RateLimitRule): RateLimitDecision =>
    used < rule.points
      ? { allowed: true, remaining: rule.points - used, resetMs: 1000 }
      : { allowed: false, retryAfterMs: (rule.blockDurationSeconds ?? 1) * 1000, resetMs: 1000 };
  return {
    counts,
    consume: async (key, rule) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return decide(counts.get(key)! - 1, rule);
    },
    peek: async (key, rule) => decide(counts.get(key) ?? 0, rule),
    reset: async (key) => void counts.delete(key),
  };
}

describe('lockout', () => {
  const settings = { attempts: 3, windowSeconds: 300, lockoutSeconds: 900 };

  it('locks an address after N failures and says when to retry', async () => {
    const lockout = compileLockout(countingStore(), settings, health())!;
    for (let i = 0; i < 3; i++) expect(await lockout.check('10.0.0.1')).toEqual({ continue: true });
    expect(await lockout.failed('10.0.0.1', 'alice')).toBe(false);
    expect(await lockout.failed('10.0.0.1', 'alice')).toBe(false);
    expect(await lockout.failed('10.0.0.1', 'alice')).toBe(false);
    expect(await lockout.failed('10.0.0.1', 'alice')).toBe(true);
    expect(await lockout.check('10.0.0.1')).toMatchObject({ continue: false, code: 'RATE_LIMITED', headers: { 'Retry-After': '900' } });
    expect(await lockout.check('10.0.0.2')).toEqual({ continue: true });
  });

  it('locks an identity attacked from many addresses, even when the right credential finally arrives', async () => {
    const lockout = compileLockout(countingStore(), settings, health())!;
    for (let i = 0; i < 3; i++) await lockout.failed(`10.0.1.${i}`, 'bob');
    expect(await lockout.succeeded('bob')).toMatchObject({ continue: false, code: 'RATE_LIMITED' });
  });

  it('clears an identity count on success', async () => {
    const store = countingStore();
    const lockout = compileLockout(store, settings, health())!;
    await lockout.failed('10.0.0.9', 'carol');
    expect(await lockout.succeeded('carol')).toEqual({ continue: true });
    expect(store.counts.has('id:carol')).toBe(false);
  });

  it('denies when the store fails (fail closed)', async () => {
    const broken: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      peek: () => Promise.reject(new Error('down')),
      reset: () => Promise.reject(new Error('down')),
    };
    const lockout = compileLockout(broken, settings, health())!;
    expect(await lockout.check('10.0.0.1')).toMatchObject({ continue: false, code: 'RATE_LIMITED' });
    expect(await lockout.succeeded('dave')).toMatchObject({ continue: false });
  });

  it('lets requests through when the store fails and onStoreError is allow', async () => {
    const broken: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      peek: () => Promise.reject(new Error('down')),
      reset: () => Promise.reject(new Error('down')),
    };
    const lockout = compileLockout(broken, settings, health('allow'))!;
    expect(await lockout.check('10.0.0.1')).toEqual({ continue: true });
    expect(await lockout.failed('10.0.0.1', 'erin')).toBe(false);
    expect(await lockout.succeeded('erin')).toEqual({ continue: true });
  });
});
