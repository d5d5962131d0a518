import type { Authorizer, Identity, ToolDefinition } from '@cnmcp/core/plugin';
import type { MyPluginConfig } from './config-schema.js';

/**
 * The example authorizer: read-only tools for everyone, the rest for writer roles. A tool counts as read-only only
 * when it says so (`readOnlyHint: true`): a missing annotation is treated as "may change state", failing closed.
 */
export function createRoleGate(config: MyPluginConfig): Authorizer {
  const writers = new Set(config.writerRoles);
  const mayCall = (identity: Identity, tool: ToolDefinition) => tool.annotations?.readOnlyHint === true || identity.roles.some((r) => writers.has(r));
  return {
    authorize(identity, tool) {
      if (mayCall(identity, tool)) return { allow: true };
      // The reason goes to the audit log; the client only learns the call is not permitted.
      return {
        allow: false,
        reason: `${tool.name} is not read-only and ${identity.id} has none of the roles ${[...writers].join(', ') || '(none configured)'}`,
      };
    },
    // tools/list shows each identity only what it may call.
    visibleTools(identity, tools) {
      return tools.filter((tool) => mayCall(identity, tool));
    },
  };
}
