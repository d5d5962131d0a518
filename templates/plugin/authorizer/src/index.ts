import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_WRITER_ROLES } from './config-schema.js';
import { createRoleGate } from './role-gate.js';

/**
 * The my-plugin authorizer: read-only tools for every identity, all tools for writer roles.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * authorization:
 *   use: my-plugin
 *   writerRoles: [admin, operator]
 */
export default definePlugin({
  kind: 'authorizer',
  name: 'my-plugin',
  description: 'Example authorizer: read-only tools for everyone, every tool for writer roles.',
  configSchema,
  async setup({ config }) {
    return createRoleGate({ writerRoles: config.writerRoles ?? DEFAULT_WRITER_ROLES });
  },
});
