import { metrics } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../plugin/logger.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import { compileLimit, type LimitRule } from './limit.js';
import { createStoreHealth } from './store-health.js';

// A counting double with the port's semantics (no clock: windows never end), and a switch to make it fail.
function countingStore() {
  const counts = new Map<string, number>();
  const state = { down: false };
  const decide = (used: number, rule: RateLimitRule): RateLimitDecision =>
    used < rule.points
      ? { allowed: true, remaining: rule.points - used - 1, resetMs: rule.durationSeconds * 1000 }
      : { allowed: false, retryAfterMs: rule.durationSeconds * 1000, resetMs: rule.durationSeconds * 1000 };
  const store: RateLimitStore = {
    consume: async (key, rule) => {
      if (state.down) throw new Error('ECONNREFUSED 127.0.0.1:6379');
      const used = counts.get(key) ?? 0;
      counts.set(key, used + 1);
      return decide(used, rule);
    },
    peek: async (key, rule) => decide(counts.get(key) ?? 0, rule),
    reset: async (key) => void counts.delete(key),
  };
  return { store, state };
}

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger: Logger = {
    debug: (message) => void lines.push({ level: 'debug', message }),
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
    child: () => logger,
  };
  return { logger, lines };
}

const meter = metrics.getMeter('test');
const rule: LimitRule = { name: 'ip', scope: 'ip', points: 2, durationSeconds: 60 };

function stage(options: { onStoreError?: 'deny' | 'allow'; rule?: LimitRule } = {}) {
  const { store, state } = countingStore();
  const { logger, lines } = recordingLogger();
  const limit = compileLimit({ store, health: createStoreHealth(options.onStoreError ?? 'deny', logger, meter) }, options.rule ?? rule)!;
  return { limit, state, lines };
}

describe('compileLimit', () => {
  it('passes with RateLimit-* headers, then refuses with Retry-After', async () => {
    const { limit } = stage();
    expect(await limit('1.2.3.4')).toEqual({ continue: true, headers: { 'RateLimit-Limit': '2', 'RateLimit-Remaining': '1', 'RateLimit-Reset': '60' } });
    expect(await limit('1.2.3.4')).toMatchObject({ continue: true, headers: { 'RateLimit-Remaining': '0' } });
    expect(await limit('1.2.3.4')).toMatchObject({
      continue: false,
      code: 'RATE_LIMITED',
      headers: { 'Retry-After': '60', 'RateLimit-Limit': '2', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '60' },
      details: { rule: 'ip', scope: 'ip', limit: 2 },
    });
    expect(await limit('5.6.7.8')).toMatchObject({ continue: true });
  });

  it('draws on the burst allowance once the points are used', async () => {
    const { limit } = stage({ rule: { ...rule, burst: { points: 3, durationSeconds: 600 } } });
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push((await limit('k')).continue);
    expect(verdicts).toEqual([true, true, true, true, true, false]);
  });

  it('fails closed by default and logs one line per outage, not per request', async () => {
    const { limit, state, lines } = stage();
    state.down = true;
    for (let i = 0; i < 5; i++)
      expect(await limit('k')).toMatchObject({ continue: false, code: 'RATE_LIMITED', headers: { 'Retry-After': '1' }, details: { storeError: true } });
    expect(lines).toEqual([{ level: 'error', message: expect.stringContaining('rate-limit store unavailable; requests are refused') }]);
    state.down = false;
    expect(await limit('k')).toMatchObject({ continue: true });
    expect(await limit('k')).toMatchObject({ continue: true });
    expect(lines.map((l) => l.message)).toEqual([expect.stringContaining('unavailable'), 'rate-limit store recovered']);
    state.down = true;
    await limit('k');
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it('lets requests through with onStoreError: allow', async () => {
    const { limit, state, lines } = stage({ onStoreError: 'allow' });
    state.down = true;
    expect(await limit('k')).toEqual({ continue: true });
    expect(lines[0]?.message).toContain('requests pass unlimited');
  });
});
