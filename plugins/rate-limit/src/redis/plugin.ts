import { definePlugin, type ConfigOf, type PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `rateLimit: { use: redis, ... }`, typed by the schema below. */
export type RedisStoreConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  properties: {
    url: {
      type: 'string',
      pattern: '^rediss?://',
      description: 'redis://[user:password@]host:port[/db], or rediss:// for TLS. Use ${env:REDIS_URL} or ${secret:...} when it holds a password.',
    },
    keyPrefix: { type: 'string', minLength: 1, description: 'Prepended to every key: keeps several cnmcp deployments apart on one Redis.' },
    connectTimeoutMs: { type: 'integer', minimum: 100, default: 5000, description: 'At startup, how long to wait for Redis before refusing to start.' },
    commandTimeoutMs: {
      type: 'integer',
      minimum: 10,
      default: 1000,
      description: 'A Redis command not answered in this time fails (and onStoreError applies).',
    },
  },
  required: ['url'],
  additionalProperties: false,
} as const satisfies PluginConfigSchema;

/**
 * The shared rate-limit store: every replica pointing at one Redis enforces one global limit.
 *
 * @example
 * rateLimit: { use: redis, url: "${env:REDIS_URL}" }
 * limits: { perIp: { points: 300, durationSeconds: 60 }, onStoreError: deny }
 */
export default definePlugin({
  kind: 'rate-limit-store',
  name: 'redis',
  description: 'Rate-limit counters in Redis, shared by every server process that uses it (ioredis, fails fast, reconnects by itself).',
  configSchema,
  async setup({ config, logger }) {
    // ioredis and rate-limiter-flexible load only when this store is chosen: a memory store starts without them.
    const [{ connectRedis }, { createRedisStore }] = await Promise.all([import('./redis-client.js'), import('./redis-store.js')]);
    const client = await connectRedis({ url: config.url, connectTimeoutMs: config.connectTimeoutMs, commandTimeoutMs: config.commandTimeoutMs }, logger);
    return createRedisStore(client, config.keyPrefix);
  },
});
