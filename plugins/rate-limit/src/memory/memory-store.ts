import type { RateLimitStore } from '@cnmcp/core/plugin';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createLimiterStore } from '../limiter-store.js';

/**
 * In-process counters. Each server process counts on its own: behind a load balancer with N replicas a client
 * gets up to N times the limit, so use a shared store (redis) there.
 */
export function createMemoryStore(): RateLimitStore {
  return createLimiterStore((options) => new RateLimiterMemory(options));
}
