import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_HEADER } from './config-schema.js';
import { createTokenStrategy } from './token-strategy.js';

/**
 * The my-plugin auth strategy: a static token in a request header.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * auth:
 *   - use: my-plugin
 *     tokens: [{ id: ci-bot, token: '${env:CI_BOT_TOKEN}', roles: [viewer] }]
 * authorization: { use: allow-all }
 */
export default definePlugin({
  kind: 'auth',
  name: 'my-plugin',
  description: 'Example auth strategy: a static token in a request header.',
  configSchema,
  async setup({ config }) {
    return createTokenStrategy({ header: config.header ?? DEFAULT_HEADER, tokens: config.tokens });
  },
});
