import type { AccessTarget, Authorizer, Decision, Identity, ToolDefinition } from '@cnmcp/core/plugin';
import { BoundedCache } from './bounded-cache.js';
import type { CompiledRole, Policy } from './compile-policy.js';

/** Why a call was denied, as the audit record shows it (never sent to the client). */
export const DENY_REASONS = Object.freeze({
  serverReadOnly: 'server is read-only',
  roleReadOnly: 'read-only role: tool is not read-only',
  deniedByPattern: 'tool matches a deny pattern of the role',
  noRoleAllows: 'no role allows tool',
  noRoleAllowsResource: 'no role allows resource',
  noRoleAllowsPrompt: 'no role allows prompt',
  noRoleHoldsPermission: 'no role holds permission',
  noRoles: 'identity has no roles',
  unknownTarget: 'unknown access target',
});

const ALLOW: Decision = Object.freeze({ allow: true });
const DENY = Object.fromEntries(Object.entries(DENY_REASONS).map(([key, reason]) => [key, Object.freeze({ allow: false, reason })])) as Record<
  keyof typeof DENY_REASONS,
  Decision
>;

/**
 * Read-only means the tool says so: `readOnlyHint: true`. A tool that also claims `destructiveHint: true`
 * contradicts itself and is not trusted as read-only.
 */
export function isReadOnlyTool(tool: ToolDefinition): boolean {
  return tool.annotations?.readOnlyHint === true && tool.annotations.destructiveHint !== true;
}

export interface RbacAuthorizerOptions {
  /** Most cached decisions (role set x tool); the oldest go first. */
  readonly cacheSize?: number;
}

/**
 * The rbac decision. An identity may call a tool when any of its roles allows it: the tool matches one of the
 * role's `tools` globs and none of its `deny` globs, and a read-only role only allows read-only tools. The
 * server-wide read-only switch applies first, to everyone. A resource, prompt or permission is granted when any
 * role's `resources`, `prompts` or `permissions` globs match it (reads: the read-only switches do not apply).
 * Unknown role names grant nothing, whatever they are called (a JWT role `admin` is nothing unless `admin` is
 * defined here); an identity with no roles at all gets `defaultRoles`.
 *
 * Tool decisions are cached per (known roles, tool name, read-only-ness): they run on every tools/call and, per
 * tool, on every tools/list. The others are not: a resource URI comes from the client and would only churn the cache.
 */
export function createRbacAuthorizer(policy: Policy, options: RbacAuthorizerOptions = {}): Authorizer {
  const decisions = new BoundedCache<string, Decision>(options.cacheSize ?? 10_000);

  /** The identity's roles that exist in the policy (or the defaults when it has none), and a cache key for them. */
  function rolesOf(identity: Identity): { roles: readonly CompiledRole[]; key: string } | undefined {
    // A strategy that breaks the contract (roles not a list) gets nothing, not the defaults.
    if (!Array.isArray(identity.roles)) return { roles: [], key: '[]' };
    const claimed = identity.roles.length > 0 ? identity.roles : policy.defaultRoles;
    if (claimed.length === 0) return undefined;
    const roles: CompiledRole[] = [];
    for (const name of claimed) {
      const role = typeof name === 'string' ? policy.roles.get(name) : undefined;
      if (role && !roles.includes(role)) roles.push(role);
    }
    // JSON keeps role names that contain a separator from colliding with a different role set.
    return { roles, key: JSON.stringify(roles.map((r) => r.name)) };
  }

  function decide(roles: readonly CompiledRole[], key: string, tool: ToolDefinition): Decision {
    const readOnly = isReadOnlyTool(tool);
    if (policy.readOnly && !readOnly) return DENY.serverReadOnly;
    const cacheKey = `${key}\n${readOnly ? 'r' : 'w'}${tool.name}`;
    return decisions.get(cacheKey) ?? decisions.set(cacheKey, evaluate(roles, tool.name, readOnly));
  }

  return {
    authorize(identity, target) {
      const held = rolesOf(identity);
      if (target.kind !== 'tool') return held ? grant(held.roles, target) : DENY.noRoles;
      const { tool } = target;
      if (!held) return policy.readOnly && !isReadOnlyTool(tool) ? DENY.serverReadOnly : DENY.noRoles;
      return decide(held.roles, held.key, tool);
    },

    visibleTools(identity, tools) {
      const held = rolesOf(identity);
      if (!held || held.roles.length === 0) return [];
      return tools.filter((tool) => decide(held.roles, held.key, tool).allow);
    },
  };
}

function evaluate(roles: readonly CompiledRole[], name: string, readOnly: boolean): Decision {
  let denied: Decision = DENY.noRoleAllows;
  for (const role of roles) {
    if (!role.allow.test(name)) continue;
    if (role.deny.test(name)) {
      if (denied === DENY.noRoleAllows) denied = DENY.deniedByPattern;
    } else if (role.readOnly && !readOnly) {
      denied = DENY.roleReadOnly;
    } else {
      return ALLOW;
    }
  }
  return denied;
}

/** Resources, prompts and permissions: granted when any role's globs of that kind match. */
function grant(roles: readonly CompiledRole[], target: Exclude<AccessTarget, { kind: 'tool' }>): Decision {
  switch (target.kind) {
    case 'resource':
      return roles.some((r) => r.resources.test(target.uri)) ? ALLOW : DENY.noRoleAllowsResource;
    case 'prompt':
      return roles.some((r) => r.prompts.test(target.name)) ? ALLOW : DENY.noRoleAllowsPrompt;
    case 'permission':
      return roles.some((r) => r.permissions.test(target.name)) ? ALLOW : DENY.noRoleHoldsPermission;
    default:
      return DENY.unknownTarget; // a caller outside the type system: fail closed
  }
}
