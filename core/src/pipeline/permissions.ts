import type { Identity } from '../plugin/identity.js';
import type { Authorizer } from '../plugin/ports/authorizer.js';
import { stop, PASS, type StageVerdict } from './verdict.js';

/** Named permissions that guard the non-MCP endpoints. */
export type Permission = 'audit:read' | 'metrics:read';

/** The roles that held each permission before authorizers decided permissions (kept until every authorizer does). */
const LEGACY_ROLES: Readonly<Record<string, readonly string[]>> = { 'audit:read': ['admin'], 'metrics:read': ['admin', 'metrics'] };

/**
 * Decides a named permission. Fail closed: with auth configured the identity must hold a role that grants it;
 * with no auth at all (loopback development) metrics stay readable and the audit log stays closed.
 */
export function decidePermission(_authorizer: Authorizer | undefined, identity: Identity, name: string, authOn: boolean): StageVerdict {
  if (!authOn) return name === 'metrics:read' ? PASS : stop('FORBIDDEN', `permission ${name} is not granted`, { details: { permission: name } });
  const roles = LEGACY_ROLES[name] ?? [];
  return identity.roles.some((r) => roles.includes(r)) ? PASS : stop('FORBIDDEN', `permission ${name} is not granted`, { details: { permission: name } });
}
