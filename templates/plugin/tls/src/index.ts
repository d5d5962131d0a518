import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_POLL_INTERVAL_MS } from './config-schema.js';
import { createPemFilesProvider } from './pem-files-provider.js';

/**
 * The my-plugin TLS provider: the HTTPS listener's certificate from PEM files, reloaded when they change.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * tls:
 *   use: my-plugin
 *   certFile: /etc/cnmcp/tls/tls.crt
 *   keyFile: /etc/cnmcp/tls/tls.key
 */
export default definePlugin({
  kind: 'tls',
  name: 'my-plugin',
  description: 'Example TLS provider: certificate and key from PEM files, reloaded on change.',
  configSchema,
  async setup({ config }) {
    const provider = createPemFilesProvider({ ...config, pollIntervalMs: config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS });
    // Fail at startup, naming the files, rather than on the first connection.
    await provider.secureContext();
    return provider;
  },
});
