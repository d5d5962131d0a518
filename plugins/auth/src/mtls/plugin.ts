import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { createMtlsStrategy } from './mtls-strategy.js';

/**
 * Client certificates (mTLS): the verified subject CN or SAN names the identity. Needs `tls.clientAuth`.
 *
 * @example
 * tls: { use: file, cert: ./tls/cert.pem, key: ./tls/key.pem, clientAuth: require, ca: ./tls/clients-ca.pem }
 * auth:
 *   - use: mtls
 *     identities: [{ cn: ci-bot, roles: [viewer] }, { san: 'URI:spiffe://example.org/deployer', id: deployer, roles: [operator] }]
 */
export default definePlugin({
  kind: 'auth',
  name: 'mtls',
  description: 'Client certificates verified by the TLS listener (tls.clientAuth): the subject CN or a SAN maps to an identity and roles.',
  configSchema,
  async setup({ config, logger }) {
    if (config.identities.length === 0 && !config.allowUnmapped) {
      logger.warn('mtls has no identities and allowUnmapped is off: every client certificate will be refused');
    }
    return createMtlsStrategy(config);
  },
});
