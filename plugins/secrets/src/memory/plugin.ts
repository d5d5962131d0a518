import { CnmcpError, definePlugin, Secret, SECRET_TYPES } from '@cnmcp/core/plugin';
import { createMemoryStore } from './memory-store.js';

/**
 * The in-memory secret store: versions, expiry and rotation as in the other stores, nothing persisted.
 *
 * @example
 * secrets:
 *   use: memory
 *   initial: [{ name: ops-key, type: apikey, value: "${env:OPS_KEY}" }]
 */
export default definePlugin({
  kind: 'secret-store',
  name: 'memory',
  description: 'In-memory secret store (lost at restart; not shared with the CLI or other replicas).',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      initial: {
        type: 'array',
        description: 'Secrets present at startup, usually from `${env:...}` or `${file:...}` references.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'value'],
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'Secret name.' },
            value: { type: 'string', minLength: 1, description: 'The value; use a reference, never a literal.' },
            type: { enum: [...SECRET_TYPES], default: 'generic', description: 'apikey, bearer, basic or generic.' },
            expiresAt: { type: 'string', format: 'date-time', description: 'RFC 3339 time after which the secret is refused.' },
          },
        },
      },
    },
  },
  async setup({ config }) {
    const store = createMemoryStore();
    for (const [i, { name, value, type, expiresAt }] of (config.initial ?? []).entries()) {
      if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt)))
        throw new CnmcpError('CONFIG_INVALID_VALUE', `initial[${i}].expiresAt is not an RFC 3339 date-time`, { path: `/initial/${i}/expiresAt` });
      await store.put(name, new Secret(value), { type: type ?? 'generic', ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) });
    }
    return store;
  },
});
