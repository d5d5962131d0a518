import { definePlugin } from '@cnmcp/core/plugin';
import { allowAll } from './allow-all.js';
import { compilePolicy } from './compile-policy.js';
import { configSchema } from './config-schema.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';

export { DENY_REASONS, isReadOnlyTool } from './rbac-authorizer.js';
export { allowAll, createAllowAllAuthorizer, type AllowAllConfig } from './allow-all.js';
export type { RbacConfig, RoleConfig } from './config-schema.js';

/**
 * Role-based authorizer: roles map to tool-name globs (optionally read-only), resource-URI and prompt-name globs
 * and named server permissions; a server-wide read-only switch.
 *
 * @example
 * authorization:
 *   use: rbac
 *   roles:
 *     viewer: { tools: ['*_get_*', '*_list_*'], readOnly: true, resources: ['docs://*'], prompts: ['summarize_*'] }
 *     admin: { tools: ['*'], deny: ['*_delete_namespace'], resources: ['*'], prompts: ['*'], permissions: ['audit:read', 'metrics:read'] }
 *   defaultRoles: []
 */
const rbac = definePlugin({
  kind: 'authorizer',
  name: 'rbac',
  description: 'Role-based access: each role lists the tools, resources, prompts and server permissions it grants.',
  configSchema,
  async setup(ctx) {
    const policy = compilePolicy(ctx.config);
    ctx.logger.info('rbac policy loaded', { roles: [...policy.roles.keys()], defaultRoles: policy.defaultRoles, readOnly: policy.readOnly });
    return createRbacAuthorizer(policy);
  },
});

export default rbac;
/** Both authorizers of this package: `use: rbac` and `use: allow-all`. */
export const plugins = [rbac, allowAll];
