import type { Identity, ToolAnnotations, ToolDefinition } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from './compile-policy.js';
import type { RbacOptions } from './config-schema.js';
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

const VIEWER_ADMIN: RbacOptions = {
  roles: {
    viewer: { tools: ['*_get_*', '*_list_*'], readOnly: true },
    admin: { tools: ['*'] },
  },
};

const authorizerFor = (config: RbacOptions) => createRbacAuthorizer(compilePolicy(config));

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
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: getPod })).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: listPods })).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: deletePod })).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    for (const t of all) expect(rbac.authorize(who('admin'), { kind: 'tool', tool: t })).toEqual({ allow: true });
  });

  it('denies a read-only role a destructive or unannotated tool its patterns match', () => {
    const rbac = authorizerFor({ roles: { operator: { tools: ['k8s_*'], readOnly: true } } });
    expect(rbac.authorize(who('operator'), { kind: 'tool', tool: getPod }).allow).toBe(true);
    expect(rbac.authorize(who('operator'), { kind: 'tool', tool: deletePod })).toEqual({ allow: false, reason: DENY_REASONS.roleReadOnly });
    expect(rbac.authorize(who('operator'), { kind: 'tool', tool: scaleDeployment })).toEqual({ allow: false, reason: DENY_REASONS.roleReadOnly });
    // A tool claiming both hints contradicts itself and is not trusted as read-only.
    expect(rbac.authorize(who('operator'), { kind: 'tool', tool: tool('k8s_get_weird', { readOnlyHint: true, destructiveHint: true }) }).allow).toBe(false);
  });

  it('applies the global readOnly switch to every identity, admins included', () => {
    const rbac = authorizerFor({ ...VIEWER_ADMIN, readOnly: true });
    expect(rbac.authorize(who('admin'), { kind: 'tool', tool: deletePod })).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.authorize(who('admin'), { kind: 'tool', tool: scaleDeployment })).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.authorize(who('admin'), { kind: 'tool', tool: listSecrets })).toEqual({ allow: true });
    expect(rbac.authorize(who(), { kind: 'tool', tool: deletePod })).toEqual({ allow: false, reason: DENY_REASONS.serverReadOnly });
    expect(rbac.visibleTools(who('admin'), all)).toEqual([getPod, listPods, listSecrets]);
  });

  it('lets a deny pattern win over the same role’s allow patterns', () => {
    const rbac = authorizerFor({ roles: { viewer: { tools: ['*_get_*', '*_list_*'], deny: ['*_secrets', 'k8s_get_?od'] } } });
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: listPods }).allow).toBe(true);
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: listSecrets })).toEqual({ allow: false, reason: DENY_REASONS.deniedByPattern });
    expect(rbac.authorize(who('viewer'), { kind: 'tool', tool: getPod })).toEqual({ allow: false, reason: DENY_REASONS.deniedByPattern });
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
    expect(rbac.authorize(both, { kind: 'tool', tool: getPod }).allow).toBe(true);
    expect(rbac.authorize(both, { kind: 'tool', tool: scaleDeployment }).allow).toBe(true);
    expect(rbac.authorize(both, { kind: 'tool', tool: deletePod }).allow).toBe(false);
    expect(rbac.authorize(both, { kind: 'tool', tool: listSecrets }).allow).toBe(false);
    expect(rbac.authorize(who('viewer', 'secrets'), { kind: 'tool', tool: listSecrets }).allow).toBe(true);
    expect(rbac.visibleTools(both, all)).toEqual([getPod, listPods, scaleDeployment]);
  });

  it('grants nothing for unknown role names', () => {
    const rbac = authorizerFor({ ...VIEWER_ADMIN, defaultRoles: ['viewer'] });
    expect(rbac.authorize(who('Admin'), { kind: 'tool', tool: getPod })).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    expect(rbac.authorize(who('__proto__', 'constructor'), { kind: 'tool', tool: getPod }).allow).toBe(false);
    expect(rbac.authorize(who('nobody', 'viewer'), { kind: 'tool', tool: getPod }).allow).toBe(true);
    const broken = { id: 'x', authMethod: 'custom', roles: 'admin' } as unknown as Identity; // not a list: no defaults either
    expect(rbac.authorize(broken, { kind: 'tool', tool: getPod })).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
    expect(rbac.visibleTools(who('Admin'), all)).toEqual([]);
  });

  it('gives an identity with no roles the defaultRoles, and denies it without any', () => {
    expect(authorizerFor(VIEWER_ADMIN).authorize(who(), { kind: 'tool', tool: getPod })).toEqual({ allow: false, reason: DENY_REASONS.noRoles });
    expect(authorizerFor(VIEWER_ADMIN).visibleTools(who(), all)).toEqual([]);
    const withDefault = authorizerFor({ ...VIEWER_ADMIN, defaultRoles: ['viewer'] });
    expect(withDefault.authorize(who(), { kind: 'tool', tool: getPod }).allow).toBe(true);
    expect(withDefault.authorize(who(), { kind: 'tool', tool: deletePod }).allow).toBe(false);
  });

  it('filters visibleTools with the same decision as authorize', () => {
    const rbac = authorizerFor(VIEWER_ADMIN);
    for (const identity of [who('viewer'), who('admin'), who(), who('viewer', 'admin')]) {
      expect(rbac.visibleTools(identity, all)).toEqual(all.filter((t) => rbac.authorize(identity, { kind: 'tool', tool: t }).allow));
    }
    expect(rbac.visibleTools(who('viewer'), all)).toEqual([getPod, listPods, listSecrets]);
  });

  it('keeps cached decisions apart for role sets, tool names and read-only-ness', () => {
    const roles = { a: { tools: ['t_*'], readOnly: true }, b: { tools: ['x'] }, 'a,b': { tools: ['*'] }, 'a\nb': { tools: ['*'] } };
    const rbac = createRbacAuthorizer(compilePolicy({ roles }), { cacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      expect(rbac.authorize(who('a'), { kind: 'tool', tool: tool('t_a', { readOnlyHint: true }) }).allow).toBe(true);
      expect(rbac.authorize(who('a'), { kind: 'tool', tool: tool('t_a') }).allow).toBe(false); // same name, not read-only
      expect(rbac.authorize(who('a'), { kind: 'tool', tool: tool('u_a', { readOnlyHint: true }) }).allow).toBe(false);
      expect(rbac.authorize(who('a', 'b'), { kind: 'tool', tool: tool('t_a') }).allow).toBe(false); // not the role named `a,b` or `a\nb`
      expect(rbac.authorize(who('a,b'), { kind: 'tool', tool: tool('t_a') }).allow).toBe(true);
      expect(rbac.authorize(who('a\nb'), { kind: 'tool', tool: tool('t_a') }).allow).toBe(true);
    }
  });
});

describe('rbac resources, prompts and permissions', () => {
  const rbac = authorizerFor({
    readOnly: true, // read-only limits tools only: reading a resource or getting a prompt is a read
    roles: {
      viewer: { tools: ['*_get_*'], resources: ['docs://public/*'], prompts: ['summarize_?'] },
      auditor: { permissions: ['audit:read'] },
      ops: { resources: ['*'], prompts: ['*'], permissions: ['metrics:*', 'console:read'] },
    },
    defaultRoles: ['viewer'],
  });
  const resource = (uri: string) => ({ kind: 'resource', uri }) as const;
  const prompt = (name: string) => ({ kind: 'prompt', name }) as const;
  const permission = (name: string) => ({ kind: 'permission', name }) as const;

  it('grants a resource or prompt whose URI or name matches a role glob, and nothing else', () => {
    expect(rbac.authorize(who('viewer'), resource('docs://public/a/b.md'))).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), resource('docs://private/key'))).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllowsResource });
    expect(rbac.authorize(who('viewer'), resource('xdocs://public/a')).allow).toBe(false); // anchored
    expect(rbac.authorize(who('viewer'), prompt('summarize_x'))).toEqual({ allow: true });
    expect(rbac.authorize(who('viewer'), prompt('summarize_xy'))).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllowsPrompt });
    expect(rbac.authorize(who('ops'), resource('file:///etc/passwd')).allow).toBe(true);
    expect(rbac.authorize(who(), resource('docs://public/a')).allow).toBe(true); // defaultRoles
  });

  it('grants a server permission only to a defined role that lists it', () => {
    expect(rbac.authorize(who('auditor'), permission('audit:read'))).toEqual({ allow: true });
    expect(rbac.authorize(who('auditor'), permission('metrics:read'))).toEqual({ allow: false, reason: DENY_REASONS.noRoleHoldsPermission });
    expect(rbac.authorize(who('ops'), permission('metrics:read')).allow).toBe(true);
    expect(rbac.authorize(who('ops'), permission('audit:read')).allow).toBe(false);
    expect(rbac.authorize(who('viewer'), permission('audit:read')).allow).toBe(false);
    expect(rbac.authorize(who('auditor'), { kind: 'tool', tool: getPod })).toEqual({ allow: false, reason: DENY_REASONS.noRoleAllows });
  });

  it('gives a role name the config does not define nothing, `admin` included', () => {
    // A JWT from an identity provider may carry a role called `admin` that means something else there.
    for (const target of [permission('audit:read'), permission('metrics:read'), resource('docs://public/a'), prompt('summarize_x')]) {
      expect(rbac.authorize(who('admin'), target).allow).toBe(false);
      expect(rbac.authorize(who('admin', 'metrics'), target).allow).toBe(false);
    }
    const noDefaults = authorizerFor({ roles: { auditor: { permissions: ['audit:read'] } } });
    expect(noDefaults.authorize(who(), permission('audit:read'))).toEqual({ allow: false, reason: DENY_REASONS.noRoles });
  });

  it('denies a target of an unknown kind', () => {
    const odd = { kind: 'everything' } as unknown as Parameters<typeof rbac.authorize>[1];
    expect(rbac.authorize(who('ops'), odd)).toEqual({ allow: false, reason: DENY_REASONS.unknownTarget });
  });
});

describe('rbac config checks at setup', () => {
  it('refuses a role that grants nothing', () => {
    expect(() => compilePolicy({ roles: { idle: { readOnly: true } } })).toThrow(/roles\.idle: grants nothing/);
  });

  it('refuses a defaultRoles entry that names no role, naming it', () => {
    expect(() => compilePolicy({ ...VIEWER_ADMIN, defaultRoles: ['guest'] })).toThrow(
      /defaultRoles\[0\]: role "guest" is not defined under roles \(defined: viewer, admin\)/,
    );
  });

  it('refuses empty patterns and reports every problem at once', () => {
    const bad = { roles: { viewer: { tools: ['*_get_*', ''] }, admin: { tools: ['*'], deny: [''] } }, defaultRoles: ['guest'] } as RbacOptions;
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
      'roles.viewer.tools[1]: a pattern must be a non-empty string',
      'roles.admin.deny[0]: a pattern must be a non-empty string',
      'defaultRoles[0]: role "guest" is not defined under roles (defined: viewer, admin)',
    ]);
  });

  it('refuses a config without roles', () => {
    expect(() => compilePolicy({ roles: {} })).toThrow(/define at least one role/);
  });
});
