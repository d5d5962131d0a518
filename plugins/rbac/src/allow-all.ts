import { definePlugin, type Authorizer, type ConfigOf, type Decision, type PluginConfigSchema } from '@cnmcp/core/plugin';
import { compileGlobs } from './tool-glob.js';

const configSchema = {
  type: 'object',
  properties: {
    permissions: {
      type: 'array',
      default: [],
      description: 'Server permissions every identity holds (`audit:read`, `metrics:read`, `console:read`; globs allowed). Empty: none.',
      items: { type: 'string', minLength: 1 },
    },
  },
  additionalProperties: false,
} as const satisfies PluginConfigSchema;

/** Server permissions (`audit:read`, `metrics:read`, ...) every identity holds; none unless listed. */
export type AllowAllConfig = ConfigOf<typeof configSchema>;

const ALLOW: Decision = Object.freeze({ allow: true });
const NO_PERMISSION: Decision = Object.freeze({ allow: false, reason: 'allow-all grants no server permission not listed under permissions' });

/**
 * The explicit "no authorization" choice: every identity may call every tool, read every resource and get every
 * prompt. Server permissions (audit log, metrics) are not MCP access and stay closed unless listed, so choosing
 * allow-all never opens the audit log to every caller by accident.
 */
export function createAllowAllAuthorizer(config: Partial<AllowAllConfig> = {}): Authorizer {
  const permissions = compileGlobs(config.permissions ?? []);
  return {
    authorize(_identity, target) {
      if (target.kind !== 'permission') return ALLOW;
      return permissions.test(target.name) ? ALLOW : NO_PERMISSION;
    },
    visibleTools: (_identity, tools) => tools,
  };
}

/**
 * `authorization: { use: allow-all }`: every authenticated identity may use every tool, resource and prompt.
 *
 * @example
 * authorization:
 *   use: allow-all
 *   permissions: ['metrics:read'] # optional: server permissions every identity holds
 */
export const allowAll = definePlugin({
  kind: 'authorizer',
  name: 'allow-all',
  description: 'No authorization, chosen explicitly: every identity may use every tool, resource and prompt.',
  configSchema,
  async setup(ctx) {
    ctx.logger.warn('authorization is allow-all: every identity may call every tool, read every resource and get every prompt', {
      permissions: ctx.config.permissions ?? [],
    });
    return createAllowAllAuthorizer(ctx.config);
  },
});
