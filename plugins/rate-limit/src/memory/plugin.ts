import { definePlugin, type ConfigOf, type PluginConfigSchema } from '@cnmcp/core/plugin';
import { createMemoryStore } from './memory-store.js';

// No options yet; the empty schema still refuses unknown keys, so a typo is an error rather than a silent default.
export const configSchema = { type: 'object', properties: {}, additionalProperties: false } as const satisfies PluginConfigSchema;

export type MemoryStoreConfig = ConfigOf<typeof configSchema>;

/**
 * The in-process rate-limit store.
 *
 * @example
 * rateLimit: { use: memory }
 * limits: { perIp: { points: 300, durationSeconds: 60 } }
 */
export default definePlugin({
  kind: 'rate-limit-store',
  name: 'memory',
  description: 'In-process rate-limit counters (one server process; use a shared store for several replicas).',
  configSchema,
  async setup() {
    return createMemoryStore();
  },
});
