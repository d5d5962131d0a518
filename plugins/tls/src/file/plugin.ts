import { resolve } from 'node:path';
import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, type FileTlsConfig } from './config-schema.js';
import { FileTlsProvider, loadTlsFiles } from './file-provider.js';

/**
 * HTTPS with certificate files, reloaded when they change.
 *
 * @example
 * tls: { use: file, cert: ./tls/cert.pem, key: ./tls/key.pem, clientAuth: require, ca: ./tls/ca.pem }
 */
export default definePlugin({
  kind: 'tls',
  name: 'file',
  description: 'HTTPS with a certificate and key from PEM files, watched and reloaded without a restart; optional client certificates (mTLS).',
  configSchema,
  async check({ config }) {
    await loadTlsFiles(resolved(config));
  },
  async setup({ config, logger, audit }) {
    return FileTlsProvider.open(resolved(config), logger, audit);
  },
});

const resolved = (config: FileTlsConfig): FileTlsConfig => ({
  ...config,
  cert: resolve(config.cert),
  key: resolve(config.key),
  ...(config.ca ? { ca: resolve(config.ca) } : {}),
});
