import { definePlugin, SECRET_TYPES } from '@cnmcp/core/plugin';
import { createEnvStore, ENV_PREFIX } from './env-store.js';

/**
 * Read-only secrets from the environment: `CNMCP_SECRET_<NAME>` (`ops-key` reads `CNMCP_SECRET_OPS_KEY`) and an
 * explicit `names` map for other variables.
 *
 * @example
 * secrets:
 *   use: env
 *   names: { github-token: GITHUB_TOKEN }
 */
export default definePlugin({
  kind: 'secret-store',
  name: 'env',
  description: 'Read-only secrets from environment variables `CNMCP_SECRET_<NAME>` and an explicit name map; no rotation.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      prefix: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', default: ENV_PREFIX, description: 'Prefix of the variables read as secrets.' },
      names: {
        type: 'object',
        description: 'Secret name -> environment variable, for variables without the prefix (e.g. `github-token: GITHUB_TOKEN`).',
        propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' },
        additionalProperties: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      },
      types: {
        type: 'object',
        description: 'Secret name -> type (apikey, bearer, basic, generic; default generic).',
        additionalProperties: { enum: [...SECRET_TYPES] },
      },
    },
  },
  async setup({ config }) {
    return createEnvStore({
      env: process.env,
      ...(config.prefix ? { prefix: config.prefix } : {}),
      ...(config.names ? { names: config.names } : {}),
      ...(config.types ? { types: config.types } : {}),
    });
  },
});
