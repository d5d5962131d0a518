import type { Identity } from '@cnmcp/core/plugin';
import type { JWTPayload } from 'jose';

export type ClaimsOutcome = { readonly kind: 'ok'; readonly identity: Identity } | { readonly kind: 'fail'; readonly reason: string };

/**
 * Maps verified claims to an identity: `sub` -> id, the roles claim -> roles, `scope` or `scp` -> scopes.
 * Attributes carry descriptive claims only; the token itself never goes downstream.
 *
 * @example identityFromClaims({ sub: 'ada', realm_access: { roles: ['admin'] }, scope: 'read write' }, 'realm_access.roles')
 */
export function identityFromClaims(claims: JWTPayload, rolesClaim: string): ClaimsOutcome {
  if (typeof claims.sub !== 'string' || claims.sub === '') return { kind: 'fail', reason: 'missing sub' };
  const scopes = words(claims.scope) ?? words(claims.scp);
  const attributes: Record<string, unknown> = {};
  if (typeof claims.iss === 'string') attributes.issuer = claims.iss;
  const clientId = claims.azp ?? claims.client_id;
  if (typeof clientId === 'string') attributes.clientId = clientId;
  if (typeof claims.exp === 'number') attributes.expiresAt = new Date(claims.exp * 1000).toISOString();
  return {
    kind: 'ok',
    identity: Object.freeze({
      id: claims.sub,
      authMethod: 'bearer',
      roles: Object.freeze(words(readClaim(claims, rolesClaim)) ?? []),
      ...(scopes ? { scopes: Object.freeze(scopes) } : {}),
      attributes: Object.freeze(attributes),
    }),
  };
}

/** A claim by exact name first (namespaced claims contain dots), else by dotted path through nested objects. */
export function readClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let node: unknown = claims;
  for (const key of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** An array of strings or a space-separated string; anything else is no value. Non-string entries are dropped. */
function words(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter((w) => w !== '');
  if (Array.isArray(value)) return value.filter((w): w is string => typeof w === 'string' && w !== '');
  return undefined;
}
