import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_MAX_KEYS, type MyPluginConfig } from './config-schema.js';
import { createFixedWindowStore } from './fixed-window-store.js';

/**
 * The my-plugin rate-limit store: fixed windows counted in memory.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * rateLimit: { use: my-plugin }
 * limits: { perIp: { points: 300, durationSeconds: 60 } }
 */
export default definePlugin<'rate-limit-store', MyPluginConfig>({
  kind: 'rate-limit-store',
  name: 'my-plugin',
  description: 'Example rate-limit store: fixed windows counted in memory, for one process.',
  configSchema,
  async setup({ config }) {
    return createFixedWindowStore({ maxKeys: config.maxKeys ?? DEFAULT_MAX_KEYS });
  },
});
