import { definePlugin } from '@cnmcp/core/plugin';
import { createBasicStrategy } from './basic-strategy.js';
import { configSchema } from './config-schema.js';
import { loadUsers } from './load-users.js';

/**
 * HTTP Basic authentication against scrypt or bcrypt hashes.
 *
 * @example
 * auth:
 *   - use: basic
 *     users:
 *       - { username: ops, passwordHash: "${env:OPS_PASSWORD_HASH}", roles: [admin] }   # cnmcp auth hash-password
 *       - { username: ci, password: "${secret:ci-password}", roles: [viewer] }          # hashed at load
 */
export default definePlugin({
  kind: 'auth',
  name: 'basic',
  description: 'HTTP Basic authentication (RFC 7617) against scrypt or bcrypt password hashes, in constant time.',
  configSchema,
  async check({ config }) {
    await loadUsers(config.users);
  },
  async setup({ config }) {
    return createBasicStrategy(await loadUsers(config.users));
  },
});
