import { describe, expect, it } from 'vitest';
import { identityFromClaims, readClaim } from './claims-identity.js';

describe('readClaim', () => {
  const claims = { roles: ['a'], realm_access: { roles: ['b'] }, 'realm_access.roles': ['c'], resource_access: { 'mcp-api': { roles: ['d'] } } };

  it('reads a top-level claim, a dotted path, and prefers an exact dotted name', () => {
    expect(readClaim(claims, 'roles')).toEqual(['a']);
    expect(readClaim({ realm_access: { roles: ['b'] } }, 'realm_access.roles')).toEqual(['b']);
    expect(readClaim(claims, 'realm_access.roles')).toEqual(['c']);
    expect(readClaim(claims, 'resource_access.mcp-api.roles')).toEqual(['d']);
  });

  it('returns undefined for missing paths, arrays in the way and inherited properties', () => {
    expect(readClaim(claims, 'nope.roles')).toBeUndefined();
    expect(readClaim(claims, 'roles.0')).toBeUndefined();
    expect(readClaim(claims, 'realm_access.constructor')).toBeUndefined();
    expect(readClaim(claims, '__proto__')).toBeUndefined();
  });
});

describe('identityFromClaims', () => {
  it('returns a frozen identity without credentials', () => {
    const outcome = identityFromClaims({ sub: 'u1', roles: 'a b', scope: 'x y', client_id: 'c', iss: 'https://idp' }, 'roles');
    expect(outcome).toEqual({
      kind: 'ok',
      identity: { id: 'u1', authMethod: 'bearer', roles: ['a', 'b'], scopes: ['x', 'y'], attributes: { issuer: 'https://idp', clientId: 'c' } },
    });
    expect(outcome.kind === 'ok' && Object.isFrozen(outcome.identity)).toBe(true);
    expect(outcome.kind === 'ok' && Object.isFrozen(outcome.identity.roles)).toBe(true);
  });

  it('leaves scopes out when the token has none, and fails without a string sub', () => {
    const outcome = identityFromClaims({ sub: 'u1' }, 'roles');
    expect(outcome.kind === 'ok' && 'scopes' in outcome.identity).toBe(false);
    expect(identityFromClaims({ sub: 42 } as never, 'roles')).toEqual({ kind: 'fail', reason: 'missing sub' });
  });
});
