import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_MAX_KEYS } from './config-schema.js';
import { createFixedWindowStore } from './fixed-window-store.js';

/**
 * The my-plugin rate-limit store: fixed windows counted in memory.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * rateLimit: { use: my-plugin }
 * limits: { perIp: { points: 300, durationSeconds: 60 } }
 */
export default definePlugin({
  kind: 'rate-limit-store',
  name: 'my-plugin',
  description: 'Example rate-limit store: fixed windows counted in memory, for one process.',
  configSchema,
  async setup({ config }) {
    return createFixedWindowStore({ maxKeys: config.maxKeys ?? DEFAULT_MAX_KEYS });
  },
});
