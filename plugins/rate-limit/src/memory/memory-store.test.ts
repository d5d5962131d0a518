import type { RateLimitRule } from '@cnmcp/core/plugin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from './memory-store.js';

const rule = (overrides: Partial<RateLimitRule> = {}): RateLimitRule => ({ name: 'test', points: 3, durationSeconds: 60, ...overrides });

afterEach(() => {
  vi.useRealTimers();
});

describe('memory rate-limit store', () => {
  it('counts down and refuses once the points are used, with the time until the window ends', async () => {
    const store = createMemoryStore();
    const r = rule();
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 1 });
    const last = await store.consume('k', r);
    expect(last).toMatchObject({ allowed: true, remaining: 0 });
    expect(last.resetMs).toBeGreaterThan(59_000);
    const refused = await store.consume('k', r);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.retryAfterMs).toBeGreaterThan(59_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(refused.resetMs).toBe(refused.retryAfterMs);
  });

  it('allows again once the window has passed (real clock, 1 s window)', async () => {
    const store = createMemoryStore();
    const r = rule({ points: 1, durationSeconds: 1 });
    expect((await store.consume('k', r)).allowed).toBe(true);
    expect((await store.consume('k', r)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps a key blocked for blockDurationSeconds from the moment its last point is used', async () => {
    vi.useFakeTimers();
    const store = createMemoryStore();
    const r = rule({ points: 2, durationSeconds: 1, blockDurationSeconds: 10 });
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 1 });
    // The last point starts the lockout, so a caller that peeks before each attempt is locked out too.
    expect(await store.consume('k', r)).toEqual({ allowed: true, remaining: 0, resetMs: 10_000 });
    expect(await store.peek('k', r)).toEqual({ allowed: false, retryAfterMs: 10_000, resetMs: 10_000 });

    vi.advanceTimersByTime(2_000); // well past the 1 s window
    expect(await store.consume('k', r)).toEqual({ allowed: false, retryAfterMs: 8_000, resetMs: 8_000 });
    vi.advanceTimersByTime(3_000); // attempts during the block do not extend it
    expect(await store.peek('k', r)).toEqual({ allowed: false, retryAfterMs: 5_000, resetMs: 5_000 });

    vi.advanceTimersByTime(5_000);
    expect(await store.peek('k', r)).toEqual({ allowed: true, remaining: 2, resetMs: 0 });
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('without blockDurationSeconds refuses only until the window ends', async () => {
    vi.useFakeTimers();
    const store = createMemoryStore();
    const r = rule({ points: 1, durationSeconds: 5 });
    await store.consume('k', r);
    vi.advanceTimersByTime(2_000);
    expect(await store.consume('k', r)).toEqual({ allowed: false, retryAfterMs: 3_000, resetMs: 3_000 });
    vi.advanceTimersByTime(3_000);
    expect((await store.consume('k', r)).allowed).toBe(true);
  });

  it('peeks without taking a point', async () => {
    const store = createMemoryStore();
    const r = rule({ points: 2 });
    expect(await store.peek('k', r)).toEqual({ allowed: true, remaining: 2, resetMs: 0 });
    await store.consume('k', r);
    for (let i = 0; i < 5; i++) expect(await store.peek('k', r)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 0 });
    // Every point used: the next consume would be refused, and peek says so.
    expect((await store.peek('k', r)).allowed).toBe(false);
  });

  it('reset forgets a key', async () => {
    const store = createMemoryStore();
    const r = rule({ points: 1, blockDurationSeconds: 600 });
    await store.consume('k', r);
    expect((await store.consume('k', r)).allowed).toBe(false);
    await store.reset('k', r);
    expect(await store.peek('k', r)).toEqual({ allowed: true, remaining: 1, resetMs: 0 });
    expect((await store.consume('k', r)).allowed).toBe(true);
    await store.reset('never-seen', r); // resetting an unknown key is fine
  });

  it('counts keys, and rules with the same name but other numbers, separately', async () => {
    const store = createMemoryStore();
    const r = rule({ points: 1 });
    expect((await store.consume('a', r)).allowed).toBe(true);
    expect((await store.consume('a', r)).allowed).toBe(false);
    expect((await store.consume('b', r)).allowed).toBe(true);
    expect(await store.consume('a', rule({ points: 2 }))).toMatchObject({ allowed: true, remaining: 1 });
    expect((await store.consume('a', rule({ name: 'other', points: 1 }))).allowed).toBe(true);
  });

  it('rejects (rather than decides) on an invalid rule or a closed store, so the kernel fails closed', async () => {
    const store = createMemoryStore();
    await expect(store.consume('k', rule({ points: 0 }))).rejects.toMatchObject({ code: 'RATE_LIMIT_RULE_INVALID' });
    await expect(store.peek('k', rule({ durationSeconds: 0 }))).rejects.toThrow(/durationSeconds must be > 0/);
    await expect(store.consume('k', rule({ blockDurationSeconds: -1 }))).rejects.toThrow(/blockDurationSeconds/);
    await store.close?.();
    await expect(store.consume('k', rule())).rejects.toMatchObject({ code: 'RATE_LIMIT_STORE_CLOSED' });
  });
});
