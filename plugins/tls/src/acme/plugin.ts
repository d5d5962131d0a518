import { resolve } from 'node:path';
import { definePlugin } from '@cnmcp/core/plugin';
import { AcmeTlsProvider } from './acme-provider.js';
import { configSchema } from './config-schema.js';

/**
 * HTTPS with certificates from an ACME server (Let's Encrypt by default), issued and renewed in the background.
 *
 * @example
 * tls: { use: acme, domains: [mcp.example.com], email: ops@example.com, termsOfServiceAgreed: true }
 */
export default definePlugin({
  kind: 'tls',
  name: 'acme',
  description: "HTTPS with certificates from an ACME server (Let's Encrypt by default) over HTTP-01 or TLS-ALPN-01, cached, renewed before expiry, audited.",
  configSchema,
  async setup({ config, logger, audit }) {
    const paths = {
      cacheDir: resolve(config.cacheDir),
      ...(config.ca ? { ca: resolve(config.ca) } : {}),
      ...(config.directoryCa ? { directoryCa: resolve(config.directoryCa) } : {}),
    };
    return AcmeTlsProvider.open({ ...config, ...paths }, { logger, audit });
  },
});
