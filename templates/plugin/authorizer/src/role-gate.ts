import type { AccessTarget, Authorizer, Identity, ToolDefinition } from '@cnmcp/core/plugin';
import type { MyPluginConfig } from './config-schema.js';

/**
 * The example authorizer: read-only tools, resources and prompts for everyone, the other tools for writer roles,
 * no server permission (audit log, metrics) for anyone. A tool counts as read-only only when it says so
 * (`readOnlyHint: true`): a missing annotation is treated as "may change state", failing closed.
 */
export function createRoleGate(config: MyPluginConfig): Authorizer {
  const writers = new Set(config.writerRoles);
  const mayCall = (identity: Identity, tool: ToolDefinition) => tool.annotations?.readOnlyHint === true || identity.roles.some((r) => writers.has(r));
  const mayReach = (identity: Identity, target: AccessTarget) =>
    target.kind === 'tool' ? mayCall(identity, target.tool) : target.kind === 'resource' || target.kind === 'prompt';
  return {
    authorize(identity, target) {
      if (mayReach(identity, target)) return { allow: true };
      // The reason goes to the audit log; the client only learns the call is not permitted.
      if (target.kind !== 'tool') return { allow: false, reason: `this authorizer grants no ${target.kind}` };
      return {
        allow: false,
        reason: `${target.tool.name} is not read-only and ${identity.id} has none of the roles ${[...writers].join(', ') || '(none configured)'}`,
      };
    },
    // tools/list shows each identity only what it may call.
    visibleTools(identity, tools) {
      return tools.filter((tool) => mayCall(identity, tool));
    },
  };
}
