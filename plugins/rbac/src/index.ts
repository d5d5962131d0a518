import { definePlugin } from '@cnmcp/core/plugin';
import { compilePolicy } from './compile-policy.js';
import { configSchema, type RbacConfig } from './config-schema.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';

export { DENY_REASONS, isReadOnlyTool } from './rbac-authorizer.js';
export type { RbacConfig, RoleConfig } from './config-schema.js';

/**
 * Role-based authorizer: roles map to tool-name globs, optionally read-only; a server-wide read-only switch.
 *
 * @example
 * authorization:
 *   use: rbac
 *   roles:
 *     viewer: { tools: ['*_get_*', '*_list_*'], readOnly: true }
 *     admin: { tools: ['*'], deny: ['*_delete_namespace'] }
 *   defaultRoles: []
 */
export default definePlugin<'authorizer', RbacConfig>({
  kind: 'authorizer',
  name: 'rbac',
  description: 'Role-based access: each role lists the tool-name globs it may call, optionally read-only.',
  configSchema,
  async setup(ctx) {
    const policy = compilePolicy(ctx.config);
    ctx.logger.info('rbac policy loaded', { roles: [...policy.roles.keys()], defaultRoles: policy.defaultRoles, readOnly: policy.readOnly });
    return createRbacAuthorizer(policy);
  },
});
