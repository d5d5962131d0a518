import type { Identity, ToolAnnotations, ToolDefinition } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from './compile-policy.js';
import type { RbacConfig } from './config-schema.js';
import { createRbacAuthorizer, DENY_REASONS } from './rbac-authorizer.js';
import { compileGlobs } from './tool-glob.js';

const tool = (name: string, annotations?: ToolAnnotations): ToolDefinition => ({
  name,
  description: name,
  inputSchema: { type: 'object' },
  ...(annotations ? { annotations } : {}),
  handler: async () => ({ content: [] }),
});

const getPod = tool('k8s_get_pod', { readOnlyHint: true });
const listPods = tool('k8s_list_pods', { readOnlyHint: true });
const deletePod = tool('k8s_delete_pod', { destructiveHint: true });
const scaleDeployment = tool('k8s_scale_deployment'); // no annotations: not read-only
const listSecrets = tool('k8s_list_secrets', { readOnlyHint: true });
const all = [getPod, listPods, deletePod, scaleDeployment, listSecrets];

const who = (...roles: string[]): Identity => ({ id: 'u', authMethod: 'apikey', roles });

const VIEWER_ADMIN: RbacConfig = {
  roles: {
    viewer: { tools: ['*_get_*', '*_list_*'], readOnly: true },
    admin: { tools: ['*'] },
  },
};

const authorizerFor = (config: RbacConfig) => createRbacAuthorizer(compilePolicy(config));

describe('tool globs', () => {
  it('are anchored, case-sensitive, with * and ? only', () => {
    const re = compileGlobs(['*_get_*', 'k8s_?ist_pods', 'a.b']);
    expect(re.test('k8s_get_pod')).toBe(true);
    expect(re.test('k8s_list_pods')).toBe(true);
    expect(re.test('k8s_GET_pod')).toBe(false);
    expect(re.test('xk8s_list_pods')).toBe(false); // `?` is one character, and the match is anchored
    expect(re.test('a.b')).toBe(true);
    expect(re.test('aXb')).toBe(false); // `.` is literal
    expect(compileGlobs([]).test('')).toBe(false);
    expect(compileGlobs(['(a|b)+']).test('a')).toBe(false); // regex syntax is literal
  });
});

describe('rbac authorizer', () => {
  it('lets a viewer call only its read-only patterns and an admin everything', () => {
    const rbac = authorizerFor(VIEWER_ADMIN);
    expect(rbac.authorize(who('viewer'), getPod)).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), listPods)).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), deletePod)).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    for (const t of all) expect(rbac.authorize(who('admin'), t)).toEqual({ allow: true });
  });

  it('denies a read-only role a destructive or unannotated tool its patterns match', () => {
    const rbac = authorizerFor({ roles: { operator: { tools: ['k8s_*'], readOnly: true } } });
    expect(rbac.authorize(who('operator'), getPod).allow).toBe(true);
    expect(rbac.authorize(who('operator'), deletePod)).toEqual({ allow: false, reason: DENY_REASONS.roleReadOnly });
    expect(rbac.authorize(who('operator'), scaleDeployment)).toEqual({ allow: false, reason: DENY_REASONS.roleReadOnly });
    // A tool claiming both hints contradicts itself and is not trusted as read-only.
    expect(rbac.authorize(who('operator'), tool('k8s_get_weird', { readOnlyHint: true, destructiveHint: true })).allow).toBe(false);
  });

  it('applies the global readOnly switch to every identity, admins included', () => {
    const rbac = authorizerFor({ ...VIEWER_ADMIN, readOnly: true });
    expect(rbac.authorize(who('admin'), deletePod)).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.authorize(who('admin'), scaleDeployment)).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.authorize(who('admin'), listSecrets)).toEqual({ allow: true });
    expect(rbac.authorize(who(), deletePod)).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.visibleTools(who('admin'), all)).toEqual([getPod, listPods, listSecrets]);
  });

  it('lets a deny pattern win over the same role’s allow patterns', () => {
    const rbac = authorizerFor({ roles: { viewer: { tools: ['*_get_*', '*_list_*'], deny: ['*_secrets', 'k8s_get_?od'] } } });
    expect(rbac.authorize(who('viewer'), listPods).allow).toBe(true);
    expect(rbac.authorize(who('viewer'), listSecrets)).toEqual({ allow: false, reason: DENY_REASONS.deniedByPattern });
    expect(rbac.authorize(who('viewer'), getPod)).toEqual({ allow: false, reason: DENY_REASONS.deniedByPattern });
  });

  it('allows a tool when any of several roles allows it; a deny is scoped to its own role', () => {
    const rbac = authorizerFor({
      roles: {
        viewer: { tools: ['*_get_*', '*_list_*'], deny: ['*_secrets'], readOnly: true },
        scaler: { tools: ['*_scale_*'] },
        secrets: { tools: ['*_secrets'], readOnly: true },
      },
    });
    const both = who('viewer', 'scaler');
    expect(rbac.authorize(both, getPod).allow).toBe(true);
    expect(rbac.authorize(both, scaleDeployment).allow).toBe(true);
    expect(rbac.authorize(both, deletePod).allow).toBe(false);
    expect(rbac.authorize(both, listSecrets).allow).toBe(false);
    expect(rbac.authorize(who('viewer', 'secrets'), listSecrets).allow).toBe(true);
    expect(rbac.visibleTools(both, all)).toEqual([getPod, listPods, scaleDeployment]);
  });

  it('grants nothing for unknown role names', () => {
    const rbac = authorizerFor({ ...VIEWER_ADMIN, defaultRoles: ['viewer'] });
    expect(rbac.authorize(who('Admin'), getPod)).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    expect(rbac.authorize(who('__proto__', 'constructor'), getPod).allow).toBe(false);
    expect(rbac.authorize(who('nobody', 'viewer'), getPod).allow).toBe(true);
    const broken = { id: 'x', authMethod: 'custom', roles: 'admin' } as unknown as Identity; // not a list: no defaults either
    expect(rbac.authorize(broken, getPod)).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    expect(rbac.visibleTools(who('Admin'), all)).toEqual([]);
  });

  it('gives an identity with no roles the defaultRoles, and denies it without any', () => {
    expect(authorizerFor(VIEWER_ADMIN).authorize(who(), getPod)).toEqual({ allow: false, reason: DENY_REASONS.noRoles });
    expect(authorizerFor(VIEWER_ADMIN).visibleTools(who(), all)).toEqual([]);
    const withDefault = authorizerFor({ ...VIEWER_ADMIN, defaultRoles: ['viewer'] });
    expect(withDefault.authorize(who(), getPod).allow).toBe(true);
    expect(withDefault.authorize(who(), deletePod).allow).toBe(false);
  });

  it('filters visibleTools with the same decision as authorize', () => {
    const rbac = authorizerFor(VIEWER_ADMIN);
    for (const identity of [who('viewer'), who('admin'), who(), who('viewer', 'admin')]) {
      expect(rbac.visibleTools(identity, all)).toEqual(all.filter((t) => rbac.authorize(identity, t).allow));
    }
    expect(rbac.visibleTools(who('viewer'), all)).toEqual([getPod, listPods, listSecrets]);
  });

  it('keeps cached decisions apart for role sets, tool names and read-only-ness', () => {
    const roles = { a: { tools: ['t_*'], readOnly: true }, b: { tools: ['x'] }, 'a,b': { tools: ['*'] }, 'a\nb': { tools: ['*'] } };
    const rbac = createRbacAuthorizer(compilePolicy({ roles }), { cacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      expect(rbac.authorize(who('a'), tool('t_a', { readOnlyHint: true })).allow).toBe(true);
      expect(rbac.authorize(who('a'), tool('t_a')).allow).toBe(false); // same name, not read-only
      expect(rbac.authorize(who('a'), tool('u_a', { readOnlyHint: true })).allow).toBe(false);
      expect(rbac.authorize(who('a', 'b'), tool('t_a')).allow).toBe(false); // not the role named `a,b` or `a\nb`
      expect(rbac.authorize(who('a,b'), tool('t_a')).allow).toBe(true);
      expect(rbac.authorize(who('a\nb'), tool('t_a')).allow).toBe(true);
    }
  });
});

describe('rbac config checks at setup', () => {
  it('refuses a defaultRoles entry that names no role, naming it', () => {
    expect(() => compilePolicy({ ...VIEWER_ADMIN, defaultRoles: ['guest'] })).toThrow(
      /defaultRoles\[0\]: role "guest" is not defined under roles \(defined: viewer, admin\)/,
    );
  });

  it('refuses empty patterns and reports every problem at once', () => {
    const bad = { roles: { viewer: { tools: ['*_get_*', ''] }, admin: { tools: ['*'], deny: [''] } }, defaultRoles: ['guest'] } as RbacConfig;
    const error = (() => {
      try {
        compilePolicy(bad);
      } catch (e) {
        return e as Error & { code: string; problems: { message: string }[] };
      }
      throw new Error('expected compilePolicy to throw');
    })();
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.message)).toEqual([
      'roles.viewer.tools[1]: a tool pattern must be a non-empty string',
      'roles.admin.deny[0]: a tool pattern must be a non-empty string',
      'defaultRoles[0]: role "guest" is not defined under roles (defined: viewer, admin)',
    ]);
  });

  it('refuses a config without roles', () => {
    expect(() => compilePolicy({ roles: {} })).toThrow(/define at least one role/);
  });
});
