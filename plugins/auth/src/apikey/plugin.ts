import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { createApiKeyStrategy } from './apikey-strategy.js';
import { assertApiKeyConfig } from './check-keys.js';
import { configSchema, DEFAULT_HEADER, type ApiKeyConfig } from './config-schema.js';

/**
 * API key authentication: `X-API-Key: <key>` or `Authorization: ApiKey <key>`.
 *
 * @example
 * auth:
 *   - use: apikey
 *     keys: [{ id: ops, key: "${env:OPS_KEY}", roles: [admin], expiresAt: "2026-12-31T23:59:59Z" }]
 */
export default definePlugin<'auth', ApiKeyConfig>({
  kind: 'auth',
  name: 'apikey',
  description: 'API keys from a header or `Authorization: ApiKey`, held as digests and compared in constant time.',
  configSchema,
  async setup({ config, logger }) {
    assertApiKeyConfig(config.keys);
    const header = (config.header ?? DEFAULT_HEADER).toLowerCase();
    if (header === 'authorization') {
      throw new CnmcpError('CONFIG_INVALID_VALUE', 'header: `Authorization: ApiKey <key>` is always read; name a different header (default x-api-key)');
    }
    const allowQueryParam = config.allowQueryParam === true;
    if (allowQueryParam) {
      logger.warn('API keys are accepted in the query string (allowQueryParam: true): URLs end up in proxy, browser and access logs; prefer the header', {
        header,
      });
    }
    const now = Date.now();
    for (const { id, expiresAt } of config.keys) {
      if (expiresAt !== undefined && Date.parse(expiresAt) <= now) logger.warn('API key has expired and will be refused', { keyId: id, expiresAt });
    }
    return createApiKeyStrategy(config.keys, { header, allowQueryParam });
  },
});
