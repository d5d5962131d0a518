import { CnmcpError, type Logger } from '@cnmcp/core/plugin';
import { Redis } from 'ioredis';

export interface RedisClientOptions {
  readonly url: string;
  /** How long startup waits for the first connection before the server refuses to start. */
  readonly connectTimeoutMs: number;
  /** A command Redis does not answer in this time fails (a hung server must not hang requests). */
  readonly commandTimeoutMs: number;
}

/** host:port of a redis:// URL, for log lines: the URL itself may carry a password. */
export const redisAddress = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(unparseable url)';
  }
};

/**
 * An ioredis client tuned to fail fast and heal itself: while disconnected every command fails at once (no
 * offline queue, no per-request retries), so the kernel can apply `onStoreError` instead of hanging, and the
 * client reconnects forever in the background. Losing and regaining the connection is logged once each, not per
 * reconnect attempt. Resolves once connected; rejects (and disconnects) if that takes longer than
 * `connectTimeoutMs`.
 */
export async function connectRedis(options: RedisClientOptions, logger: Logger): Promise<Redis> {
  const address = redisAddress(options.url);
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.min(options.connectTimeoutMs, 10_000),
    // Back off to one attempt every 2 s and never give up: service resumes by itself when Redis returns.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: true,
  });
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = error.message;
    if (state === 'up') {
      state = 'down';
      logger.error('lost the Redis connection; reconnecting in the background', { address, error: error.message });
    }
  });
  client.on('close', () => {
    if (state === 'up') {
      state = 'down';
      logger.error('lost the Redis connection; reconnecting in the background', { address });
    }
  });
  client.on('ready', () => {
    if (state === 'down') logger.info('Redis connection restored', { address });
    else if (state === 'connecting') logger.info('connected to Redis', { address });
    state = 'up';
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => client.once('ready', () => resolve())),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(lastError || 'no answer')), options.connectTimeoutMs);
      }),
      // connect() rejects on the first failed attempt; the retries go on, so only the deadline above decides.
      client.connect().catch(() => new Promise<never>(() => {})),
    ]);
  } catch (error) {
    client.disconnect();
    throw new CnmcpError('RATE_LIMIT_STORE_UNAVAILABLE', `cannot reach Redis at ${address} within ${options.connectTimeoutMs} ms: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return client;
}
