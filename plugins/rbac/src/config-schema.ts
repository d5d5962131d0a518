import type { ConfigInput, ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `authorization: { use: rbac, ... }`, typed by the schema below. */
export type RbacConfig = ConfigOf<typeof configSchema>;

/** The same options as a user writes them, defaults left out: what `compilePolicy` accepts. */
export type RbacOptions = ConfigInput<typeof configSchema>;

/** What one role grants. */
export type RoleConfig = RbacOptions['roles'][string];

const patterns = (description: string) =>
  ({
    type: 'array',
    description,
    items: { type: 'string', minLength: 1 },
  }) as const;

const GLOB = '`*` any run of characters, `?` one; whole string, case-sensitive';

const roleSchema = {
  type: 'object',
  description: 'One role: the tools, resources, prompts and server permissions it grants. A role must grant at least one.',
  properties: {
    tools: patterns(`Tool-name globs this role may call (${GLOB}).`),
    deny: patterns('Tool-name globs this role may not call, even when `tools` matches them.'),
    readOnly: { type: 'boolean', default: false, description: 'Allow only tools annotated `readOnlyHint: true`.' },
    resources: patterns(`Resource-URI globs this role may list and read (${GLOB}; \`*\` also crosses \`/\`).`),
    prompts: patterns(`Prompt-name globs this role may list and get (${GLOB}).`),
    permissions: patterns(
      'Server permissions this role holds, by name or glob: `audit:read` (GET /admin/audit), `metrics:read` (GET /metrics), `console:read`.',
    ),
  },
  additionalProperties: false,
} as const;

export const configSchema = {
  type: 'object',
  properties: {
    readOnly: { type: 'boolean', default: false, description: 'Read-only server: every identity may call only tools annotated `readOnlyHint: true`.' },
    roles: {
      type: 'object',
      description:
        'Role name to what that role grants. An identity may reach a tool, resource, prompt or permission when any of its roles grants it; a role name not defined here grants nothing.',
      minProperties: 1,
      propertyNames: { minLength: 1 },
      additionalProperties: roleSchema,
    },
    defaultRoles: {
      type: 'array',
      default: [],
      description: 'Roles given to an identity that has none (e.g. `anonymous` when no auth is configured). Empty: such identities may call nothing.',
      items: { type: 'string', minLength: 1 },
    },
  },
  required: ['roles'],
  additionalProperties: false,
} as const satisfies PluginConfigSchema;
