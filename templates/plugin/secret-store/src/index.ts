import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { createMemorySecretStore } from './memory-secret-store.js';

/**
 * The my-plugin secret store: config values elsewhere read it as `${secret:NAME}`.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * secrets:
 *   use: my-plugin
 *   initial: { ops-key: '${env:OPS_API_KEY}' }
 * auth:
 *   - use: apikey
 *     keys: [{ id: ops, key: '${secret:ops-key}', roles: [admin] }]
 * authorization: { use: allow-all }
 */
export default definePlugin({
  kind: 'secret-store',
  name: 'my-plugin',
  description: 'Example secret store: versioned secrets in memory.',
  configSchema,
  async setup({ config }) {
    return createMemorySecretStore(config.initial ?? {});
  },
});
