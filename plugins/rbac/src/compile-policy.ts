import { CnmcpAggregateError, CnmcpError } from '@cnmcp/core/plugin';
import type { RbacOptions } from './config-schema.js';
import { compileGlobs } from './tool-glob.js';

export interface CompiledRole {
  readonly name: string;
  readonly allow: RegExp;
  readonly deny: RegExp;
  readonly readOnly: boolean;
  readonly resources: RegExp;
  readonly prompts: RegExp;
  readonly permissions: RegExp;
}

export interface Policy {
  /** Server-wide read-only switch. */
  readonly readOnly: boolean;
  readonly roles: ReadonlyMap<string, CompiledRole>;
  /** Already checked to exist in `roles`. */
  readonly defaultRoles: readonly string[];
}

/**
 * Checks the config beyond what its schema can say and compiles every role's globs once, at setup. Reports every
 * problem at once, each naming its key.
 */
export function compilePolicy(config: RbacOptions): Policy {
  const problems: CnmcpError[] = [];
  // The kernel reports these under the section's own config path; the message names the key inside it.
  const problem = (key: string, message: string) => problems.push(new CnmcpError('CONFIG_INVALID_VALUE', `${key}: ${message}`));

  const roles = new Map<string, CompiledRole>();
  for (const [name, role] of Object.entries(config.roles ?? {})) {
    if (name === '') problem('roles', 'a role name must not be empty');
    const [tools, deny, resources, prompts, permissions] = GRANTS.map((key) => checkedPatterns(role?.[key], `roles.${name}.${key}`, problem));
    if (role?.tools === undefined && role?.resources === undefined && role?.prompts === undefined && role?.permissions === undefined)
      problem(`roles.${name}`, 'grants nothing: give it tools, resources, prompts or permissions');
    roles.set(name, {
      name,
      allow: compileGlobs(tools!),
      deny: compileGlobs(deny!),
      readOnly: role?.readOnly === true,
      resources: compileGlobs(resources!),
      prompts: compileGlobs(prompts!),
      permissions: compileGlobs(permissions!),
    });
  }
  if (roles.size === 0) problem('roles', 'define at least one role');

  const defaultRoles = config.defaultRoles ?? [];
  defaultRoles.forEach((role, i) => {
    if (!roles.has(role))
      problem(`defaultRoles[${i}]`, `role "${role}" is not defined under roles${roles.size > 0 ? ` (defined: ${[...roles.keys()].join(', ')})` : ''}`);
  });

  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new CnmcpAggregateError('CONFIG_INVALID', 'rbac config has problems:', problems);
  return { readOnly: config.readOnly === true, roles, defaultRoles: [...new Set(defaultRoles)] };
}

const GRANTS = ['tools', 'deny', 'resources', 'prompts', 'permissions'] as const;

function checkedPatterns(value: unknown, path: string, problem: (path: string, message: string) => void): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problem(path, 'must be a list of patterns');
    return [];
  }
  const valid: string[] = [];
  value.forEach((pattern: unknown, i) => {
    if (typeof pattern !== 'string' || pattern.length === 0) problem(`${path}[${i}]`, 'a pattern must be a non-empty string');
    else valid.push(pattern);
  });
  return valid;
}
