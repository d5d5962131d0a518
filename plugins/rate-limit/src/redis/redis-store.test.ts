// The redis store against a real redis-server: shared counts, fail-fast while Redis is down, automatic recovery.
import type { Logger, RateLimitRule, RateLimitStore } from '@cnmcp/core/plugin';
import { silentLogger } from '@cnmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../../test/support/redis-server.js';
import { connectRedis, redisAddress } from './redis-client.js';
import { createRedisStore } from './redis-store.js';

let redis: TestRedis;
const stores: RateLimitStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close?.();
});

const rule = (overrides: Partial<RateLimitRule> = {}): RateLimitRule => ({
  name: `r${Math.random().toString(36).slice(2)}`,
  points: 3,
  durationSeconds: 60,
  ...overrides,
});

async function open(options: { logger?: Logger; keyPrefix?: string; url?: string; connectTimeoutMs?: number } = {}) {
  const client = await connectRedis(
    { url: options.url ?? redis.url, connectTimeoutMs: options.connectTimeoutMs ?? 5_000, commandTimeoutMs: 1_000 },
    options.logger ?? silentLogger,
  );
  const store = createRedisStore(client, options.keyPrefix);
  stores.push(store);
  return store;
}

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    child: () => logger,
  };
  return { logger, lines };
}

describe('redis rate-limit store', () => {
  it('counts down, refuses once the points are used, and says when to retry', async () => {
    const store = await open();
    const r = rule();
    expect(await store.consume('k', r)).toMatchObject({ allowed: true, remaining: 2 });
    await store.consume('k', r);
    await store.consume('k', r);
    const refused = await store.consume('k', r);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(await store.consume('other', r)).toMatchObject({ allowed: true });
  });

  it('shares one count between two clients of the same Redis (two replicas)', async () => {
    const [a, b] = [await open(), await open()];
    const r = rule({ points: 4 });
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push((await (i % 2 ? a : b).consume('shared', r)).allowed);
    expect(decisions).toEqual([true, true, true, true, false, false]);
  });

  it('keeps deployments with different key prefixes apart', async () => {
    const [a, b] = [await open({ keyPrefix: 'team-a' }), await open({ keyPrefix: 'team-b' })];
    const r = rule({ points: 1 });
    expect((await a.consume('k', r)).allowed).toBe(true);
    expect((await a.consume('k', r)).allowed).toBe(false);
    expect((await b.consume('k', r)).allowed).toBe(true);
  });

  it('peeks without taking a point, blocks after the last point, and resets', async () => {
    const store = await open();
    const r = rule({ points: 2, blockDurationSeconds: 900 });
    expect(await store.peek('k', r)).toEqual({ allowed: true, remaining: 2, resetMs: 0 });
    await store.consume('k', r);
    await store.consume('k', r);
    const blocked = await store.peek('k', r);
    expect(blocked.allowed).toBe(false);
    expect(!blocked.allowed && blocked.retryAfterMs).toBeGreaterThan(800_000);
    await store.reset('k', r);
    expect(await store.peek('k', r)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('fails fast while Redis is down, logs the outage once, and recovers by itself when it returns', async () => {
    const { logger, lines } = recordingLogger();
    const store = await open({ logger });
    const r = rule({ points: 100 });
    expect((await store.consume('k', r)).allowed).toBe(true);

    await redis.kill();
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await expect(store.consume('k', r)).rejects.toBeDefined();
      // No offline queue: the call fails at once rather than waiting for a reconnect (generous for a loaded machine).
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    // ioredis reports the lost connection on a later tick than the first failed command: wait for the event.
    await expect
      .poll(() => lines.filter((l) => l.startsWith('error')), { timeout: 10_000 })
      .toEqual(['error lost the Redis connection; reconnecting in the background']);

    await redis.restart();
    await expect
      .poll(
        () =>
          Promise.resolve(store.consume('k', r)).then(
            (d) => d.allowed,
            () => 'down',
          ),
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
    expect(lines).toContain('info Redis connection restored');
  });

  it('refuses to start when Redis cannot be reached, naming the address but not the password', async () => {
    const { port } = redis;
    await expect(open({ url: `redis://:Sup3r-Secret@127.0.0.1:${port + 1}`, connectTimeoutMs: 500 })).rejects.toMatchObject({
      code: 'RATE_LIMIT_STORE_UNAVAILABLE',
      message: expect.stringContaining(`cannot reach Redis at 127.0.0.1:${port + 1} within 500 ms`),
    });
    expect(redisAddress(`redis://user:Sup3r-Secret@example.com`)).toBe('example.com:6379');
  });
});
