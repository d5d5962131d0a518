import { describe, expect, it } from 'vitest';
import { createFixedWindowStore } from './fixed-window-store.js';

const rule = { name: 'perIp', points: 2, durationSeconds: 60 };

describe('fixed-window store', () => {
  it('allows `points` requests per window, then refuses until the window ends', async () => {
    let t = 1_000_000;
    const store = createFixedWindowStore({ maxKeys: 10, now: () => t });
    expect(await store.consume('1.2.3.4', rule)).toEqual({ allowed: true, remaining: 1, resetMs: 60_000 });
    expect(await store.consume('1.2.3.4', rule)).toMatchObject({ allowed: true, remaining: 0 });
    t += 10_000;
    expect(await store.consume('1.2.3.4', rule)).toEqual({ allowed: false, retryAfterMs: 50_000, resetMs: 50_000 });
    expect(await store.consume('5.6.7.8', rule)).toMatchObject({ allowed: true });
    t += 50_000;
    expect(await store.consume('1.2.3.4', rule)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('peeks without taking, resets a key, and keeps rules apart', async () => {
    const store = createFixedWindowStore({ maxKeys: 10 });
    await store.consume('k', rule);
    expect(await store.peek('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.peek('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.consume('k', { ...rule, name: 'other' })).toMatchObject({ remaining: 1 });
    await store.reset('k', rule);
    expect(await store.peek('k', rule)).toMatchObject({ remaining: 2 });
  });

  it('blocks for blockDurationSeconds once exhausted (lockouts)', async () => {
    let t = 0;
    const store = createFixedWindowStore({ maxKeys: 10, now: () => t });
    const lockout = { name: 'auth', points: 1, durationSeconds: 10, blockDurationSeconds: 900 };
    await store.consume('ip', lockout);
    expect(await store.consume('ip', lockout)).toMatchObject({ allowed: false, retryAfterMs: 900_000 });
    t += 60_000;
    expect(await store.peek('ip', lockout)).toMatchObject({ allowed: false, retryAfterMs: 840_000 });
  });

  it('refuses new keys when full instead of growing without bound', async () => {
    const store = createFixedWindowStore({ maxKeys: 2 });
    await store.consume('a', rule);
    await store.consume('b', rule);
    expect(await store.consume('c', rule)).toMatchObject({ allowed: false });
    expect(await store.consume('a', rule)).toMatchObject({ allowed: true });
  });
});
