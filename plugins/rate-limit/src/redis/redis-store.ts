import type { RateLimitStore } from '@cnmcp/core/plugin';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createLimiterStore } from '../limiter-store.js';

/**
 * Counters in Redis: every server process that shares the Redis (and the same rules) shares one count, so limits
 * hold across replicas. Each consume is one atomic Lua script. A command that fails (Redis down, timed out)
 * rejects, and the kernel applies `onStoreError`.
 */
export function createRedisStore(client: Redis, keyPrefix?: string): RateLimitStore {
  const store = createLimiterStore(
    (options) =>
      new RateLimiterRedis({
        storeClient: client,
        ...options,
        keyPrefix: keyPrefix ? `${keyPrefix}:${options.keyPrefix}` : options.keyPrefix,
        // Fail at once while disconnected instead of queueing the command.
        rejectIfRedisNotReady: true,
      }),
  );
  return {
    consume: (key, rule) => store.consume(key, rule),
    peek: (key, rule) => store.peek(key, rule),
    reset: (key, rule) => store.reset(key, rule),
    async close() {
      await store.close?.();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
